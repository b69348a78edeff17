#include "signin/ChangePasswordDialog.h"
