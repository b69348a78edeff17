#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include "domain/Error.h"

namespace rd {

// An ISO 4217 currency the application supports, with the number of digits
// of its minor unit (2 for EUR cents, 0 for JPY, 3 for KWD fils).
class Currency final
{
    Q_DECLARE_TR_FUNCTIONS(Currency)

public:
    // A three-letter code; surrounding whitespace and case are ignored.
    static Result<Currency> parse(const QString &code);

    // Every supported code in alphabetical order, e.g. for a drop-down.
    static QStringList supportedCodes();

    // "EUR"
    const QString &code() const noexcept { return m_code; }
    int minorDigits() const noexcept { return m_minorDigits; }

    friend bool operator==(const Currency &a, const Currency &b) { return a.m_code == b.m_code; }

private:
    Currency(QString code, int minorDigits);

    QString m_code;
    int m_minorDigits;
};

} // namespace rd
