#pragma once

#include <QDialog>

class QPushButton;
class QTableWidget;

namespace rd {

// Help ▸ About: the application icon, name, version, what it is for, the
// licence and the versions of the libraries it runs on, which Copy puts
// on the clipboard as plain text for a support request.
class AboutDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AboutDialog)

public:
    // description: one line on what the window it is opened from is for.
    explicit AboutDialog(const QString &description, QWidget *parent = nullptr);
    ~AboutDialog() override;

    // What Copy puts on the clipboard.
    QString versionText() const;

private:
    void copyVersions();

    QTableWidget *m_libraries = nullptr;
    QPushButton *m_copy = nullptr;
};

} // namespace rd
