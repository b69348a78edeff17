#include "domain/ChangeFeed.h"

namespace rd {

ChangeFeed::ChangeFeed(QObject *parent)
    : QObject(parent)
{ }

ChangeFeed::~ChangeFeed() = default;

} // namespace rd
