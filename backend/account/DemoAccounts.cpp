// The fixed list of demo owners: names, and which ones are suspended and why.
#include "backend/account/DemoAccounts.h"

#include <array>
#include <cstdio>
#include <string_view>

namespace dd::backend {

namespace {

constexpr std::array<std::string_view, 50> kNames{
    "Amelia Hartley",   "Rahul Mehta",       "Sofia Alvarez",    "Liam O'Connor",    "Chen Wei",
    "Fatima Al-Sayed",  "Noah Fischer",      "Yuki Tanaka",      "Olivia Brooks",    "Mateo Rossi",
    "Aisha Bello",      "Ethan Walker",      "Ingrid Johansson", "Diego Morales",    "Hannah Schmidt",
    "Kwame Mensah",     "Zoe Nguyen",        "Lucas Moreau",     "Priya Sharma",     "Oliver Bennett",
    "Elena Petrova",    "Samuel Cohen",      "Mia Kowalski",     "Jamal Washington", "Grace Kim",
    "Tomas Novak",      "Leila Haddad",      "Benjamin Clarke",  "Ana Costa",        "Henry Lindqvist",
    "Nadia Rahman",     "Jacob Miller",      "Chloe Dubois",     "Arjun Patel",      "Emma Larsen",
    "Marcus Johnson",   "Isabella Romano",   "Daniel Okafor",    "Sara Lindgren",    "Victor Herrera",
    "Lucy Thompson",    "Omar Farouk",       "Charlotte Evans",  "Hiroshi Sato",     "Maya Goldberg",
    "Felix Wagner",     "Ava Martinez",      "Ibrahim Diallo",   "Nora Halvorsen",   "Sebastian Reyes",
};

struct Suspension
{
    int number;
    std::string_view reason;
};

constexpr std::array<Suspension, 4> kSuspended{{
    {7, "payment overdue"},
    {13, "fraud review"},
    {29, "identity verification pending"},
    {42, "chargeback dispute"},
}};

std::string ownerId(int number)
{
    char id[16];
    std::snprintf(id, sizeof id, "owner-%03d", number);
    return id;
}

} // namespace

std::vector<dronedelivery::v1::Account> demoAccounts()
{
    std::vector<dronedelivery::v1::Account> accounts;
    accounts.reserve(kNames.size());
    for (std::size_t i = 0; i < kNames.size(); ++i) {
        const int number = int(i) + 1;
        dronedelivery::v1::Account account;
        account.set_owner_id(ownerId(number));
        account.set_name(std::string(kNames[i]));
        account.set_active(true);
        for (const auto &suspension : kSuspended) {
            if (suspension.number == number) {
                account.set_active(false);
                account.set_suspension_reason(std::string(suspension.reason));
            }
        }
        accounts.push_back(std::move(account));
    }
    return accounts;
}

} // namespace dd::backend
