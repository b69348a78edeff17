#include "outbox/OutboxPage.h"
