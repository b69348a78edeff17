#pragma once

#include <QWidget>

class QFormLayout;
class QLabel;
class QPlainTextEdit;
class QTableWidget;
class QTabWidget;

namespace rd {

class Session;
struct CustomerDetail;
struct UiServices;

// The customer detail panel beside the customer table: the account at a
// glance, its assignment history with dates, its users and — for those
// who may read the audit log — its audit trail with before/after.
class CustomerDetailPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CustomerDetailPanel)

public:
    CustomerDetailPanel(const Session &session, UiServices &services, QWidget *parent = nullptr);
    ~CustomerDetailPanel() override;

    void showCustomer(qint64 customerId);
    void reload();
    qint64 customerId() const noexcept { return m_customerId; }

    QTabWidget *tabs() const noexcept { return m_tabs; }

Q_SIGNALS:
    void closeRequested();
    // The Login As button (shown to roles that may, §3).
    void loginAsRequested(qint64 customerId, const QString &companyName);

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    void fill(const CustomerDetail &detail);
    void showAuditEvent(int row);

    const Session &m_session;
    UiServices &m_services;
    qint64 m_customerId = 0;
    QLabel *m_title = nullptr;
    QString m_companyName;
    QLabel *m_message = nullptr;
    QTabWidget *m_tabs = nullptr;
    QFormLayout *m_overview = nullptr;
    QTableWidget *m_assignments = nullptr;
    QTableWidget *m_users = nullptr;
    QWidget *m_auditTab = nullptr;
    QTableWidget *m_audit = nullptr;
    QPlainTextEdit *m_auditChange = nullptr;
    QStringList m_auditChanges; // before/after text per audit row
};

} // namespace rd
