#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace rd {

// The "changed by someone else" box at the top of an edit dialog: the
// message, what Reload does, and a Reload button. Hidden until a conflict
// is shown; the dialog reloads on reloadRequested() and hides it again.
//
// objectNames: "conflictBox", "conflictMessage", "reloadButton".
class ConflictBanner final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConflictBanner)

public:
    explicit ConflictBanner(QWidget *parent = nullptr);
    ~ConflictBanner() override;

    // Shows the conflict's message with the consequence of reloading on
    // the next line.
    void showConflict(const QString &message, const QString &consequence);

    // For the dialog's tab order and focus.
    QPushButton *reloadButton() const noexcept { return m_reload; }

signals:
    void reloadRequested();

private:
    QLabel *m_message = nullptr;
    QPushButton *m_reload = nullptr;
};

} // namespace rd
