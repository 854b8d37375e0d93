// How place names are compared: one normal form for names, aliases and what people type.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dd::domain {

/// "  Chinatown–International  District " and "chinatown international district" are the
/// same place: case, accents, punctuation and spacing carry no meaning in a place name.
struct PlaceText
{
    std::string key; ///< the words run together: "chinatowninternationaldistrict"
    std::vector<std::string> words; ///< {"chinatown", "international", "district"}

    /// Lower case, accents removed (NFKD without marks), apostrophes dropped
    /// ("Fishermen's" → "fishermens"), any other non-alphanumeric character separates words.
    static PlaceText of(std::string_view utf8);
};

/// Levenshtein distance (insert, delete, substitute: 1 each) of two normal-form keys.
std::size_t editDistance(std::string_view a, std::string_view b);

} // namespace dd::domain
