#pragma once

#include <QMainWindow>

class QLabel;

namespace rd {

// The administrators' window. For now it shows which database is open; the
// navigation, tables and workflows are built on the core services as they
// arrive.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    struct DatabaseInfo
    {
        QString displayName; // never contains a password
        int schemaVersion = 0;
        bool isPostgres = false;
    };

    explicit MainWindow(const DatabaseInfo &database, QWidget *parent = nullptr);
    ~MainWindow() override;

private:
    void createActions();
    void showAbout();

    DatabaseInfo m_database;
    QLabel *m_databaseLabel = nullptr;
};

} // namespace rd
