#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QString>

#include "domain/Error.h"

namespace rd {

class Database;

// The settings table as read: every key with its value, and the version of
// the whole set.
struct StoredSettings
{
    QHash<QString, QString> values; // the version row is not among them
    qint64 version = 0;             // 0 until the first save
};

// The shared domain settings (DESIGN §4 "Where settings live"): one row per
// key. One extra row (versionKey()) carries the version of the whole set,
// so that a save checks and bumps a single row: two desktops saving at the
// same time serialise on it and the second gets ErrorCode::Conflict (rule 14),
// whichever keys each of them changed.
class SettingsRepository final
{
    Q_DECLARE_TR_FUNCTIONS(SettingsRepository)

public:
    explicit SettingsRepository(Database &db);

    Result<StoredSettings> read() const;

    // Inside a write transaction, before the values are put: moves the
    // version on from expectedVersion and returns the new one; Conflict when
    // the stored version is another one (someone saved in between).
    Result<qint64> advanceVersion(qint64 expectedVersion, const QDateTime &at, qint64 userId);
    // Inside a write transaction: sets one value, inserting the key if new.
    Status put(const QString &key, const QString &value, const QDateTime &at, qint64 userId);

    // The key of the version row.
    static QString versionKey();

private:
    Database &m_db;
};

} // namespace rd
