#pragma once

#include <QCoreApplication>
#include <QString>

#include "domain/Error.h"

namespace rd {

// A phone number validated with libphonenumber and kept in E.164 form
// ("+12025550143"), the stored and compared form (DESIGN §2 rule 2).
class PhoneNumber final
{
    Q_DECLARE_TR_FUNCTIONS(PhoneNumber)

public:
    // defaultRegion (ISO 3166 alpha-2, e.g. "DE") is the country assumed for a
    // number typed without "+" and country code; an empty region means every
    // number must carry its country code. Extensions are refused: E.164 has
    // no place for them.
    static Result<PhoneNumber> parse(
        const QString &input, const QString &defaultRegion = QStringLiteral("US"));

    // "+12025550143"
    const QString &e164() const noexcept { return m_e164; }
    // "+1 202-555-0143", for display.
    const QString &international() const noexcept { return m_international; }

    friend bool operator==(const PhoneNumber &a, const PhoneNumber &b)
    {
        return a.m_e164 == b.m_e164;
    }

private:
    PhoneNumber(QString e164, QString international);

    QString m_e164;
    QString m_international;
};

} // namespace rd
