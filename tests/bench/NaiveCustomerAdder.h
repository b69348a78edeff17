#pragma once

#include <memory>

#include <QString>

#include "CustomerListCandidate.h"

class QSqlTableModel;

namespace rd::bench {

// The baseline: the customer table's QSqlTableModel (OnManualSubmit)
// inserts a record after a duplicate check on lower(contact_email), then
// submitAll(), which selects the table again. Only the customer row: no
// user, membership, assignment or audit event.
class NaiveCustomerAdder final : public CustomerAdderCandidate
{
public:
    explicit NaiveCustomerAdder(const BenchContext &context);
    ~NaiveCustomerAdder() override;

    Status add(int serial) override;
    // Deletes the added rows (nothing refers to them).
    Status cleanUp() override;

private:
    BenchContext m_context;
    std::unique_ptr<QSqlTableModel> m_table;
    QString m_tag;
};

} // namespace rd::bench
