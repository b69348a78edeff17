#include "outbox/MailStatusIndicator.h"
