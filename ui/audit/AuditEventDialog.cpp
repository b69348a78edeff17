#include "audit/AuditEventDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QSet>
#include <QTableWidget>
#include <QVBoxLayout>

#include "audit/AuditTableModel.h"
#include "services/AuditService.h"

namespace rd {

namespace {

QString valueText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return {};
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return QString::number(value.toDouble(), 'g', 16);
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    }
    return {};
}

// The JSON text as an object; text that is no object becomes {"value": text}.
QJsonObject objectOf(const QString &json)
{
    if (json.trimmed().isEmpty())
        return {};
    const QJsonDocument document = QJsonDocument::fromJson(json.toUtf8());
    if (document.isObject())
        return document.object();
    return QJsonObject {{QStringLiteral("value"), json}};
}

QLabel *valueLabel(const QString &text, const char *name, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setObjectName(QString::fromLatin1(name));
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    return label;
}

} // namespace

QList<AuditEventDialog::FieldChange> AuditEventDialog::compare(
    const QString &beforeJson, const QString &afterJson)
{
    const QJsonObject before = objectOf(beforeJson);
    const QJsonObject after = objectOf(afterJson);
    QStringList keys = before.keys();
    for (const QString &key : after.keys()) {
        if (!before.contains(key))
            keys.append(key);
    }
    keys.sort();
    QList<FieldChange> changes;
    for (const QString &key : std::as_const(keys)) {
        FieldChange change;
        change.field = key;
        change.before = valueText(before.value(key));
        change.after = valueText(after.value(key));
        change.changed = before.value(key) != after.value(key);
        changes.append(change);
    }
    return changes;
}

AuditEventDialog::AuditEventDialog(const AuditListRow &row, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("auditEventDialog"));
    setWindowTitle(tr("Audit Event %1").arg(row.event.id));
    const AuditEventRow &e = row.event;

    auto *form = new QFormLayout;
    const auto add = [&](const QString &label, const QString &text, const char *name) {
        QLabel *value = valueLabel(text, name, this);
        form->addRow(label, value);
        value->setAccessibleName(QString(label).remove(QLatin1Char(':')));
    };
    add(tr("Time:"),
        e.occurredAt.isValid()
            ? tr("%1 (UTC %2)")
                  .arg(QLocale().toString(e.occurredAt.toLocalTime(), QLocale::LongFormat),
                      e.occurredAt.toUTC().toString(Qt::ISODate))
            : QString(),
        "auditEventTime");
    add(tr("Actor:"), AuditTableModel::actorText(row), "auditEventActor");
    add(tr("Login As by:"),
        row.impersonatorName.isEmpty()
            ? tr("— (not made during Login As)")
            : tr("%1, viewing as %2 with Login As")
                  .arg(row.impersonatorName, AuditTableModel::actorText(row)),
        "auditEventImpersonator");
    add(tr("Action:"), e.action, "auditEventAction");
    add(tr("Entity:"), AuditTableModel::entityText(e), "auditEventEntity");
    add(tr("Customer:"), row.customerName, "auditEventCustomer");
    add(tr("Reseller:"), row.resellerName, "auditEventReseller");
    add(tr("Reason:"), e.reason, "auditEventReason");
    add(tr("Batch:"), e.batchId, "auditEventBatch");

    const QList<FieldChange> changes = compare(e.beforeJson, e.afterJson);
    m_changes = new QTableWidget(static_cast<int>(changes.size()), ChangeColumnCount, this);
    m_changes->setObjectName(QStringLiteral("auditChangesTable"));
    m_changes->setAccessibleName(tr("Fields before and after"));
    m_changes->setHorizontalHeaderLabels({tr("Field"), tr("Before"), tr("After"), tr("Change")});
    m_changes->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_changes->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_changes->setAlternatingRowColors(true);
    m_changes->verticalHeader()->hide();
    m_changes->horizontalHeader()->setStretchLastSection(true);
    for (int r = 0; r < changes.size(); ++r) {
        const FieldChange &change = changes.at(r);
        const QStringList texts {
            change.field, change.before, change.after, change.changed ? tr("changed") : QString()};
        for (int c = 0; c < ChangeColumnCount; ++c) {
            auto *item = new QTableWidgetItem(texts.at(c));
            item->setToolTip(texts.at(c));
            if (change.changed) {
                QFont bold = item->font();
                bold.setBold(true);
                item->setFont(bold);
            }
            m_changes->setItem(r, c, item);
        }
    }
    m_changes->resizeColumnsToContents();
    for (int c = 0; c < ChangeColumnCount; ++c)
        m_changes->setColumnWidth(c, qMin(m_changes->columnWidth(c), 260));

    auto *changesLabel = new QLabel(
        changes.isEmpty() ? tr("This event records no field values.") : tr("&Fields:"), this);
    changesLabel->setBuddy(m_changes);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(changesLabel);
    layout->addWidget(m_changes, 1);
    layout->addWidget(buttons);
    m_changes->setVisible(!changes.isEmpty());
    resize(720, 520);
}

} // namespace rd
