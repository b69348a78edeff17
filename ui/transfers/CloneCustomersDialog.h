#pragma once

#include <QDialog>
#include <QList>

#include "services/ResellerService.h"
#include "services/TransferService.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;
class QRadioButton;
class QStackedWidget;
class QTableWidget;

namespace rd {

class Error;
class Session;
struct UiServices;

// Clone (§2 rule 6) for a selection of customers: assigns them to an active
// target reseller, as an additional reseller or, with "End current
// assignments", as the new owner, on their own price list or the target's.
// After Clone the dialog shows what happened to each customer (cloned, or
// skipped and why) until it is closed.
class CloneCustomersDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CloneCustomersDialog)

public:
    CloneCustomersDialog(const Session &session, UiServices &services,
        const QList<qint64> &customerIds, QWidget *parent = nullptr);
    ~CloneCustomersDialog() override;

    // Why Clone is disabled; empty when it is enabled.
    QString problem() const;
    // What the last Clone did; empty until Clone succeeded.
    const CloneReport &report() const { return m_report; }
    bool hasReport() const { return m_hasReport; }

    // Escape on the report closes it as Close does: the clone happened.
    void reject() override;

protected:
    void changeEvent(QEvent *event) override;

private:
    void load();
    void targetChanged();
    void updateState();
    void clone();
    void showReport();
    void showFailure(const Error &error);
    qint64 chosenTarget() const;

    const Session &m_session;
    UiServices &m_services;
    QList<qint64> m_customerIds;
    QList<TransferCandidate> m_customers;
    QList<ResellerSummary> m_targets; // active resellers
    QString m_defaultPriceList;       // the channel list's name, empty when unknown
    QString m_loadProblem;
    CloneReport m_report;
    bool m_hasReport = false;

    QStackedWidget *m_pages = nullptr;
    QLabel *m_heading = nullptr;
    QListWidget *m_customerList = nullptr;
    QComboBox *m_targetCombo = nullptr;
    QLabel *m_targetReason = nullptr;
    QCheckBox *m_endAssignments = nullptr;
    QLabel *m_endExplanation = nullptr;
    QRadioButton *m_keepPriceList = nullptr;
    QRadioButton *m_switchPriceList = nullptr;
    QLabel *m_priceListHint = nullptr;
    QLabel *m_reasonLabel = nullptr;
    QPushButton *m_cloneButton = nullptr;
    QLabel *m_reportSummary = nullptr;
    QTableWidget *m_reportTable = nullptr;
    QPushButton *m_closeButton = nullptr;
};

} // namespace rd
