#include "services/UserService.h"
