#include "mainwindow/AboutDialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include "common/Feedback.h"
#include "services/LibraryVersions.h"

namespace rd {

namespace {

constexpr int IconSize = 64;

} // namespace

AboutDialog::AboutDialog(const QString &description, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About ResellerDesk"));

    auto *icon = new QLabel(this);
    icon->setObjectName(QStringLiteral("aboutIcon"));
    icon->setPixmap(QIcon(QStringLiteral(":/icons/resellerdesk.svg"))
                        .pixmap(QSize(IconSize, IconSize), devicePixelRatioF()));
    icon->setFixedSize(IconSize, IconSize);
    icon->setAlignment(Qt::AlignTop);

    auto *name = new QLabel(QApplication::applicationName(), this);
    name->setObjectName(QStringLiteral("aboutName"));
    QFont nameFont = name->font();
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.6);
    nameFont.setBold(true);
    name->setFont(nameFont);
    auto *version = new QLabel(tr("Version %1").arg(QApplication::applicationVersion()), this);
    version->setObjectName(QStringLiteral("aboutVersion"));
    version->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *what = new QLabel(description, this);
    what->setObjectName(QStringLiteral("aboutDescription"));
    what->setWordWrap(true);
    auto *licence = new QLabel(tr("Licensed under the MIT License."), this);
    licence->setObjectName(QStringLiteral("aboutLicence"));
    calmDown(licence, palette());

    auto *text = new QVBoxLayout;
    text->addWidget(name);
    text->addWidget(version);
    text->addSpacing(6);
    text->addWidget(what);
    text->addWidget(licence);
    text->addStretch(1);
    auto *top = new QHBoxLayout;
    top->addWidget(icon, 0, Qt::AlignTop);
    top->addSpacing(12);
    top->addLayout(text, 1);

    const QList<LibraryVersion> libraries = libraryVersions();
    m_libraries = new QTableWidget(int(libraries.size()), 2, this);
    m_libraries->setObjectName(QStringLiteral("libraryVersions"));
    m_libraries->setAccessibleName(tr("Library versions"));
    m_libraries->setHorizontalHeaderLabels({tr("Library"), tr("Version")});
    m_libraries->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_libraries->setSelectionMode(QAbstractItemView::NoSelection);
    m_libraries->setFocusPolicy(Qt::NoFocus);
    m_libraries->setAlternatingRowColors(true);
    m_libraries->verticalHeader()->hide();
    m_libraries->horizontalHeader()->setStretchLastSection(true);
    for (int row = 0; row < libraries.size(); ++row) {
        m_libraries->setItem(row, 0, new QTableWidgetItem(libraries.at(row).name));
        m_libraries->setItem(row, 1, new QTableWidgetItem(libraries.at(row).version));
    }
    m_libraries->resizeColumnsToContents();
    m_libraries->resizeRowsToContents();
    int height = m_libraries->horizontalHeader()->height() + 2 * m_libraries->frameWidth();
    for (int row = 0; row < m_libraries->rowCount(); ++row)
        height += m_libraries->rowHeight(row);
    m_libraries->setMinimumHeight(height);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_copy = buttons->addButton(tr("&Copy Version Information"), QDialogButtonBox::ActionRole);
    m_copy->setObjectName(QStringLiteral("copyVersionsButton"));
    m_copy->setToolTip(tr("Copy the versions as text, for a support request"));
    m_copy->setAutoDefault(false);
    connect(m_copy, &QPushButton::clicked, this, &AboutDialog::copyVersions);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addSpacing(6);
    layout->addWidget(m_libraries, 1);
    layout->addWidget(buttons);
    resize(sizeHint().expandedTo(QSize(460, 0)));
}

AboutDialog::~AboutDialog() = default;

QString AboutDialog::versionText() const
{
    return versionReport(QApplication::applicationName(), QApplication::applicationVersion());
}

void AboutDialog::copyVersions()
{
    QApplication::clipboard()->setText(versionText());
    m_copy->setText(tr("Copied"));
    QTimer::singleShot(2000, m_copy, [this] { m_copy->setText(tr("&Copy Version Information")); });
}

} // namespace rd
