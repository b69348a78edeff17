#include "mail/MailWorker.h"

namespace rd {

class MailWorker::Private
{
public:
    Config config;
};

MailWorker::MailWorker(Config config, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->config = std::move(config);
}

MailWorker::~MailWorker() = default;

void MailWorker::start() { }

void MailWorker::stop() { }

void MailWorker::wake() { }

bool MailWorker::isRunning() const
{
    return false;
}

} // namespace rd
