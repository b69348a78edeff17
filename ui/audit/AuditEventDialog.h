#pragma once

#include <QDialog>
#include <QList>
#include <QString>

class QTableWidget;

namespace rd {

struct AuditListRow;

// One audit event in full: when, who (and who was logged in as them), what,
// on which entity, the reason, the batch it belongs to, and a table of its
// fields before and after. A changed field says "changed" in its last
// column and is bold, so the change never depends on colour alone.
//
// objectNames: "auditEventDialog", the value labels "auditEventTime",
// "auditEventActor", "auditEventImpersonator", "auditEventAction",
// "auditEventEntity", "auditEventCustomer", "auditEventReseller",
// "auditEventReason", "auditEventBatch"; the table "auditChangesTable".
class AuditEventDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AuditEventDialog)

public:
    enum ChangeColumn { FieldColumn, BeforeColumn, AfterColumn, ChangedColumn, ChangeColumnCount };

    // One field of the before/after comparison.
    struct FieldChange
    {
        QString field;
        QString before; // empty when the field was not there
        QString after;
        bool changed = false;
    };

    explicit AuditEventDialog(const AuditListRow &row, QWidget *parent = nullptr);

    QTableWidget *changesTable() const noexcept { return m_changes; }

    // The fields of the before and after JSON objects, sorted by name; a
    // field in only one of them counts as changed. Text that is not a JSON
    // object shows as one field named "value".
    static QList<FieldChange> compare(const QString &beforeJson, const QString &afterJson);

private:
    QTableWidget *m_changes = nullptr;
};

} // namespace rd
