#include "services/TransferService.h"
