// The administrator's user step: `drone-backend --add-user NAME --role ROLE` writes the console's users file.
#pragma once

#include "BackendOptions.h"

#include <cstdio>
#include <string>

namespace dd::app {

class UserAdmin
{
public:
    /// Reads the password ($DD_USER_PASSWORD, else the first line of `in`), adds or replaces
    /// the user (identity::UserDirectory::addUser, mode 0600) and says which on `out`.
    static bool run(const BackendOptions &options, std::FILE *in, std::FILE *out, std::string *error);
};

} // namespace dd::app
