#include "domain/Error.h"

namespace rd {

Error::Error(ErrorCode code, QString message, QString field, QString detail)
    : m_code(code)
    , m_message(std::move(message))
    , m_field(std::move(field))
    , m_detail(std::move(detail))
{ }

QString Error::toString() const
{
    if (m_detail.isEmpty())
        return m_message;
    return m_message + QStringLiteral(" (") + m_detail + QLatin1Char(')');
}

} // namespace rd
