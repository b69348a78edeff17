#include "storage/TransferRepository.h"
