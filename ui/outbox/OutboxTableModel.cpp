#include "outbox/OutboxTableModel.h"
