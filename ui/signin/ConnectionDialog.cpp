#include "signin/ConnectionDialog.h"

#include <utility>

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStyle>
#include <QUrl>
#include <QVBoxLayout>

#include "common/Feedback.h"
#include "security/CredentialStore.h"

namespace rd {

namespace {

const QString SettingsGroup = QStringLiteral("connection");
const QString KindKey = QStringLiteral("kind");
const QString SqlitePathKey = QStringLiteral("sqlitePath");
const QString PgHostKey = QStringLiteral("pgHost");
const QString PgPortKey = QStringLiteral("pgPort");
const QString PgDatabaseKey = QStringLiteral("pgDatabase");
const QString PgUserKey = QStringLiteral("pgUser");
const QString RecentArray = QStringLiteral("recent");
const QString SqliteKind = QStringLiteral("sqlite");
const QString PostgresKind = QStringLiteral("postgresql");

constexpr int DefaultPort = 5432;

QString defaultSqlitePath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("resellerdesk.sqlite"));
}

QString absolutePath(const QString &path)
{
    return QDir::cleanPath(QFileInfo(QDir::fromNativeSeparators(path)).absoluteFilePath());
}

} // namespace

ConnectionDialog::ConnectionDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("connectionDialog"));
    setWindowTitle(tr("Open database"));
    buildUi();
    loadSettings();
    loadRecent();
    updateState();
}

ConnectionDialog::~ConnectionDialog() = default;

void ConnectionDialog::buildUi()
{
    auto *intro = new QLabel(tr("Where is the ResellerDesk database?"), this);
    intro->setWordWrap(true);

    m_recent = new QComboBox(this);
    m_recent->setObjectName(QStringLiteral("recentConnections"));
    m_recent->setAccessibleName(tr("Recent connections"));

    m_sqliteChoice = new QRadioButton(tr("&SQLite file on this computer"), this);
    m_sqliteChoice->setObjectName(QStringLiteral("sqliteChoice"));
    m_sqliteChoice->setAccessibleName(tr("SQLite file"));

    m_sqlitePath = new QLineEdit(this);
    m_sqlitePath->setObjectName(QStringLiteral("sqlitePath"));
    m_sqlitePath->setAccessibleName(tr("SQLite file path"));
    m_sqlitePath->setPlaceholderText(tr("Path of a new or existing file"));
    m_browseButton = new QPushButton(tr("&Browse…"), this);
    m_browseButton->setObjectName(QStringLiteral("browseButton"));
    m_browseButton->setAccessibleName(tr("Browse for the SQLite file"));
    m_browseButton->setAutoDefault(false);

    m_postgresChoice = new QRadioButton(tr("&PostgreSQL server, shared by your team"), this);
    m_postgresChoice->setObjectName(QStringLiteral("postgresChoice"));
    m_postgresChoice->setAccessibleName(tr("PostgreSQL server"));

    auto *kinds = new QButtonGroup(this);
    kinds->addButton(m_sqliteChoice);
    kinds->addButton(m_postgresChoice);

    m_pgHost = new QLineEdit(this);
    m_pgHost->setObjectName(QStringLiteral("pgHost"));
    m_pgHost->setAccessibleName(tr("Host"));
    m_pgPort = new QSpinBox(this);
    m_pgPort->setObjectName(QStringLiteral("pgPort"));
    m_pgPort->setAccessibleName(tr("Port"));
    m_pgPort->setRange(1, 65535);
    m_pgPort->setValue(DefaultPort);
    m_pgDatabase = new QLineEdit(this);
    m_pgDatabase->setObjectName(QStringLiteral("pgDatabase"));
    m_pgDatabase->setAccessibleName(tr("Database"));
    m_pgUser = new QLineEdit(this);
    m_pgUser->setObjectName(QStringLiteral("pgUser"));
    m_pgUser->setAccessibleName(tr("User"));
    m_pgPassword = new QLineEdit(this);
    m_pgPassword->setObjectName(QStringLiteral("pgPassword"));
    m_pgPassword->setAccessibleName(tr("Password"));
    m_pgPassword->setEchoMode(QLineEdit::Password);
    m_pgPassword->setPlaceholderText(tr("Not saved"));
    m_remember = new QCheckBox(tr("R&emember the password in the system keychain"), this);
    m_remember->setObjectName(QStringLiteral("rememberPassword"));
    m_remember->setAccessibleName(tr("Remember the password in the system keychain"));
    m_remember->hide();
    m_keychainNote
        = createHiddenReasonLabel(QStringLiteral("keychainNote"), tr("About the keychain"), this);
    fillWidth(m_keychainNote);

    m_reasonLabel = new QLabel(this);
    m_reasonLabel->setObjectName(QStringLiteral("reasonLabel"));
    m_reasonLabel->setAccessibleName(tr("What is missing"));
    m_reasonLabel->setWordWrap(true);
    m_reasonLabel->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_reasonLabel->setMinimumHeight(m_reasonLabel->fontMetrics().lineSpacing() * 2);
    calmDown(m_reasonLabel, palette());

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_okButton = buttons->button(QDialogButtonBox::Ok);
    m_okButton->setText(tr("&Open"));
    m_okButton->setObjectName(QStringLiteral("okButton"));
    m_okButton->setAccessibleName(tr("Open the database"));
    m_okButton->setDefault(true);
    m_cancelButton = buttons->button(QDialogButtonBox::Cancel);
    m_cancelButton->setObjectName(QStringLiteral("cancelButton"));
    m_cancelButton->setAccessibleName(tr("Cancel"));

    // One grid, so the labels of both kinds share a column; the fields of
    // each kind sit indented under their radio button.
    auto label = [this](const QString &text, QWidget *buddy) {
        auto *result = new QLabel(text, this);
        result->setBuddy(buddy);
        return result;
    };
    QLabel *fileLabel = label(tr("&File:"), m_sqlitePath);
    QLabel *hostLabel = label(tr("&Host:"), m_pgHost);
    QLabel *portLabel = label(tr("P&ort:"), m_pgPort);
    QLabel *databaseLabel = label(tr("&Database:"), m_pgDatabase);
    QLabel *userLabel = label(tr("&User:"), m_pgUser);
    QLabel *passwordLabel = label(tr("Pass&word:"), m_pgPassword);

    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_sqlitePath, 1);
    pathRow->addWidget(m_browseButton);
    auto *hostRow = new QHBoxLayout;
    hostRow->addWidget(m_pgHost, 1);
    hostRow->addSpacing(fontMetrics().averageCharWidth());
    hostRow->addWidget(portLabel);
    hostRow->addWidget(m_pgPort);

    const int indent = style()->pixelMetric(QStyle::PM_ExclusiveIndicatorWidth)
        + style()->pixelMetric(QStyle::PM_RadioButtonLabelSpacing);
    const Qt::Alignment labelAlignment(
        style()->styleHint(QStyle::SH_FormLayoutLabelAlignment, nullptr, this));
    auto *grid = new QGridLayout;
    grid->setColumnMinimumWidth(0, indent);
    grid->setColumnStretch(2, 1);
    int row = 0;
    grid->addWidget(m_sqliteChoice, row++, 0, 1, 3);
    grid->addWidget(fileLabel, row, 1, labelAlignment);
    grid->addLayout(pathRow, row++, 2);
    grid->setRowMinimumHeight(row++, fontMetrics().lineSpacing() / 2);
    grid->addWidget(m_postgresChoice, row++, 0, 1, 3);
    grid->addWidget(hostLabel, row, 1, labelAlignment);
    grid->addLayout(hostRow, row++, 2);
    grid->addWidget(databaseLabel, row, 1, labelAlignment);
    grid->addWidget(m_pgDatabase, row++, 2);
    grid->addWidget(userLabel, row, 1, labelAlignment);
    grid->addWidget(m_pgUser, row++, 2);
    grid->addWidget(passwordLabel, row, 1, labelAlignment);
    grid->addWidget(m_pgPassword, row++, 2);
    grid->addWidget(m_remember, row++, 2);
    grid->addWidget(m_keychainNote, row++, 2);
    grid->addWidget(m_reasonLabel, row++, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_recent);
    layout->addSpacing(fontMetrics().lineSpacing() / 2);
    layout->addLayout(grid);
    layout->addStretch();
    layout->addSpacing(fontMetrics().lineSpacing() / 2);
    layout->addWidget(buttons);

    m_sqliteWidgets = {fileLabel, m_sqlitePath, m_browseButton};
    m_postgresWidgets = {hostLabel, m_pgHost, portLabel, m_pgPort, databaseLabel, m_pgDatabase,
        userLabel, m_pgUser, passwordLabel, m_pgPassword};

    setTabOrder(m_sqliteChoice, m_sqlitePath);
    setTabOrder(m_sqlitePath, m_browseButton);
    setTabOrder(m_browseButton, m_postgresChoice);
    setTabOrder(m_postgresChoice, m_pgHost);
    setTabOrder(m_pgHost, m_pgPort);
    setTabOrder(m_pgPort, m_pgDatabase);
    setTabOrder(m_pgDatabase, m_pgUser);
    setTabOrder(m_pgUser, m_pgPassword);
    setTabOrder(m_pgPassword, m_remember);
    setTabOrder(m_remember, m_okButton);
    setTabOrder(m_okButton, m_cancelButton);

    setMinimumWidth(fontMetrics().averageCharWidth() * 75);

    connect(buttons, &QDialogButtonBox::accepted, this, &ConnectionDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ConnectionDialog::reject);
    connect(m_browseButton, &QPushButton::clicked, this, &ConnectionDialog::browse);
    connect(m_sqliteChoice, &QRadioButton::toggled, this, &ConnectionDialog::updateState);
    for (QLineEdit *edit : {m_sqlitePath, m_pgHost, m_pgDatabase, m_pgUser, m_pgPassword})
        connect(edit, &QLineEdit::textChanged, this, &ConnectionDialog::updateState);
    connect(m_pgPort, &QSpinBox::valueChanged, this, &ConnectionDialog::updateState);
}

void ConnectionDialog::setCredentialStore(CredentialStore *store)
{
    m_credentials = store;
    m_keychainUnavailable = false;
    setReason(m_keychainNote, QString());
    m_remember->setVisible(store != nullptr);
    m_remember->setChecked(false);
    m_pgPassword->setPlaceholderText(store != nullptr ? QString() : tr("Not saved"));
    fillStoredPassword();
    updateState();
}

QString ConnectionDialog::passwordKey() const
{
    return CredentialStore::postgresKey(m_pgHost->text().trimmed(), m_pgPort->value(),
        m_pgDatabase->text().trimmed(), m_pgUser->text().trimmed());
}

void ConnectionDialog::fillStoredPassword()
{
    if (m_credentials == nullptr || m_keychainUnavailable || kind() != Kind::PostgreSQL
        || !problem().isEmpty())
        return;
    Result<QString> stored = m_credentials->read(passwordKey());
    if (stored) {
        m_pgPassword->setText(*stored);
        m_remember->setChecked(true);
    } else if (stored.error().code() == ErrorCode::NotFound) {
        m_remember->setChecked(false);
    } else {
        showKeychainError(stored.error().message());
    }
}

void ConnectionDialog::showKeychainError(const QString &message)
{
    m_keychainUnavailable = true;
    m_remember->setChecked(false);
    m_remember->setEnabled(false);
    setReason(m_keychainNote,
        tr("%1\nThe password cannot be remembered: type it each time you open the database.")
            .arg(message));
    growToFit(this);
}

bool ConnectionDialog::rememberPassword()
{
    if (m_credentials == nullptr || m_keychainUnavailable || kind() != Kind::PostgreSQL)
        return true;
    const QString password = m_pgPassword->text();
    if (m_remember->isChecked() && !password.isEmpty()) {
        if (Status written = m_credentials->write(passwordKey(), password); !written) {
            // Shown, and the next Open goes on without remembering.
            showKeychainError(written.error().message());
            return false;
        }
        return true;
    }
    // Nothing to forget when the keychain cannot be used: go on.
    if (Status removed = m_credentials->remove(passwordKey()); !removed)
        showKeychainError(removed.error().message());
    return true;
}

ConnectionDialog::Kind ConnectionDialog::kind() const
{
    return m_postgresChoice->isChecked() ? Kind::PostgreSQL : Kind::SQLite;
}

QString ConnectionDialog::connectionUrl() const
{
    if (kind() == Kind::SQLite)
        return absolutePath(m_sqlitePath->text().trimmed());

    // DecodedMode: every character is literal, so '%', '@', ':' and '/' in
    // the user name or password are percent-encoded, not interpreted.
    QUrl url;
    url.setScheme(QStringLiteral("postgresql"));
    url.setUserName(m_pgUser->text().trimmed(), QUrl::DecodedMode);
    if (!m_pgPassword->text().isEmpty())
        url.setPassword(m_pgPassword->text(), QUrl::DecodedMode);
    url.setHost(m_pgHost->text().trimmed(), QUrl::DecodedMode);
    url.setPort(m_pgPort->value());
    url.setPath(QLatin1Char('/') + m_pgDatabase->text().trimmed(), QUrl::DecodedMode);
    return url.toString(QUrl::FullyEncoded);
}

QString ConnectionDialog::problem() const
{
    if (kind() == Kind::SQLite) {
        if (m_sqlitePath->text().trimmed().isEmpty())
            return tr("Enter the path of the SQLite file, or choose one with Browse….");
        return {};
    }

    const QString host = m_pgHost->text().trimmed();
    if (host.isEmpty())
        return tr("Enter the PostgreSQL server's host name, such as localhost.");
    QUrl probe;
    probe.setHost(host, QUrl::DecodedMode);
    if (!probe.isValid() || probe.host().isEmpty())
        return tr("“%1” is not a valid host name.").arg(host);
    const QString database = m_pgDatabase->text().trimmed();
    if (database.isEmpty())
        return tr("Enter the name of the database.");
    if (database.contains(QLatin1Char('/')))
        return tr("A database name cannot contain “/”.");
    if (m_pgUser->text().trimmed().isEmpty())
        return tr("Enter the PostgreSQL user name.");
    return {};
}

void ConnectionDialog::setError(const QString &message)
{
    m_reasonLabel->setText(message);
    m_okButton->setAccessibleDescription(message);
}

void ConnectionDialog::accept()
{
    if (!problem().isEmpty())
        return;
    if (!rememberPassword())
        return;
    saveSettings();
    QDialog::accept();
}

void ConnectionDialog::changeEvent(QEvent *event)
{
    QDialog::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        calmDown(m_reasonLabel, palette());
}

void ConnectionDialog::loadSettings()
{
    QSettings settings;
    settings.beginGroup(SettingsGroup);
    const bool postgres = settings.value(KindKey).toString() == PostgresKind;
    m_sqlitePath->setText(settings.value(SqlitePathKey, defaultSqlitePath()).toString());
    m_pgHost->setText(settings.value(PgHostKey, QStringLiteral("localhost")).toString());
    m_pgPort->setValue(settings.value(PgPortKey, DefaultPort).toInt());
    m_pgDatabase->setText(settings.value(PgDatabaseKey, QStringLiteral("resellerdesk")).toString());
    m_pgUser->setText(settings.value(PgUserKey).toString());
    settings.endGroup();

    m_sqliteChoice->setChecked(!postgres);
    m_postgresChoice->setChecked(postgres);
}

void ConnectionDialog::saveSettings() const
{
    // Every field but the password, which is never written to disk.
    QSettings settings;
    settings.beginGroup(SettingsGroup);
    settings.setValue(KindKey, kind() == Kind::PostgreSQL ? PostgresKind : SqliteKind);
    settings.setValue(SqlitePathKey, m_sqlitePath->text().trimmed());
    settings.setValue(PgHostKey, m_pgHost->text().trimmed());
    settings.setValue(PgPortKey, m_pgPort->value());
    settings.setValue(PgDatabaseKey, m_pgDatabase->text().trimmed());
    settings.setValue(PgUserKey, m_pgUser->text().trimmed());

    // This connection first in the recent list, without duplicates.
    QVariantMap current;
    current.insert(KindKey, kind() == Kind::PostgreSQL ? PostgresKind : SqliteKind);
    if (kind() == Kind::PostgreSQL) {
        current.insert(PgHostKey, m_pgHost->text().trimmed());
        current.insert(PgPortKey, m_pgPort->value());
        current.insert(PgDatabaseKey, m_pgDatabase->text().trimmed());
        current.insert(PgUserKey, m_pgUser->text().trimmed());
    } else {
        current.insert(SqlitePathKey, absolutePath(m_sqlitePath->text().trimmed()));
    }
    // Two profiles are the same connection when their non-empty fields agree.
    const auto identity = [](const QVariantMap &profile) {
        QMap<QString, QString> fields;
        for (auto it = profile.cbegin(); it != profile.cend(); ++it) {
            if (!it.value().toString().isEmpty())
                fields.insert(it.key(), it.value().toString());
        }
        return fields;
    };
    QList<QVariantMap> recent {current};
    for (int i = 1; i < m_recent->count() && recent.size() < MaxRecent; ++i) {
        const QVariantMap profile = m_recent->itemData(i).toMap();
        if (identity(profile) != identity(current))
            recent.append(profile);
    }
    // Rewritten whole: an entry must not keep fields of the one it replaces.
    settings.remove(RecentArray);
    settings.beginWriteArray(RecentArray, int(recent.size()));
    for (int i = 0; i < recent.size(); ++i) {
        settings.setArrayIndex(i);
        const QVariantMap &profile = recent.at(i);
        for (auto it = profile.cbegin(); it != profile.cend(); ++it)
            settings.setValue(it.key(), it.value());
    }
    settings.endArray();
    settings.endGroup();
}

void ConnectionDialog::loadRecent()
{
    QSettings settings;
    settings.beginGroup(SettingsGroup);
    const int count = settings.beginReadArray(RecentArray);
    m_recent->addItem(tr("Choose a recent connection…"));
    for (int i = 0; i < count; ++i) {
        settings.setArrayIndex(i);
        QVariantMap profile;
        for (const QString &key :
            {KindKey, SqlitePathKey, PgHostKey, PgPortKey, PgDatabaseKey, PgUserKey})
            profile.insert(key, settings.value(key));
        const bool postgres = profile.value(KindKey).toString() == PostgresKind;
        const QString text = postgres
            ? tr("PostgreSQL: %1@%2:%3/%4")
                  .arg(profile.value(PgUserKey).toString(), profile.value(PgHostKey).toString(),
                      profile.value(PgPortKey).toString(), profile.value(PgDatabaseKey).toString())
            : tr("SQLite: %1").arg(profile.value(SqlitePathKey).toString());
        m_recent->addItem(text, profile);
    }
    settings.endArray();
    settings.endGroup();
    m_recent->setVisible(m_recent->count() > 1);
    connect(m_recent, &QComboBox::activated, this, &ConnectionDialog::applyRecent);
}

void ConnectionDialog::applyRecent(int index)
{
    const QVariantMap profile = m_recent->itemData(index).toMap();
    if (profile.isEmpty())
        return;
    const bool postgres = profile.value(KindKey).toString() == PostgresKind;
    if (postgres) {
        m_pgHost->setText(profile.value(PgHostKey).toString());
        m_pgPort->setValue(profile.value(PgPortKey, DefaultPort).toInt());
        m_pgDatabase->setText(profile.value(PgDatabaseKey).toString());
        m_pgUser->setText(profile.value(PgUserKey).toString());
        m_pgPassword->clear();
        m_postgresChoice->setChecked(true);
        fillStoredPassword();
        m_pgPassword->setFocus();
    } else {
        m_sqlitePath->setText(profile.value(SqlitePathKey).toString());
        m_sqliteChoice->setChecked(true);
        m_okButton->setFocus();
    }
    updateState();
}

void ConnectionDialog::updateState()
{
    const bool sqlite = kind() == Kind::SQLite;
    for (QWidget *widget : std::as_const(m_sqliteWidgets))
        widget->setEnabled(sqlite);
    for (QWidget *widget : std::as_const(m_postgresWidgets))
        widget->setEnabled(!sqlite);
    m_remember->setEnabled(!sqlite && !m_keychainUnavailable);

    const QString reason = problem();
    m_reasonLabel->setText(reason);
    m_okButton->setEnabled(reason.isEmpty());
    m_okButton->setAccessibleDescription(reason);
}

void ConnectionDialog::browse()
{
    const QString current = m_sqlitePath->text().trimmed();
    const QString chosen = QFileDialog::getSaveFileName(this, tr("Choose the SQLite file"),
        current.isEmpty() ? defaultSqlitePath() : current, tr("SQLite databases (*.sqlite *.db)"),
        nullptr, QFileDialog::DontConfirmOverwrite);
    if (!chosen.isEmpty())
        m_sqlitePath->setText(QDir::toNativeSeparators(chosen));
}

} // namespace rd
