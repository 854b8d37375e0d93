// The gazetteer: the named places of the demo city (neighbourhoods and landmarks) with their true coordinates.
#pragma once

#include "backend/domain/PlaceText.h"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace dd::domain {

enum class PlaceKind { Neighbourhood, Landmark };

struct Place
{
    std::string name; ///< canonical: what Location.place and suggestions say
    std::vector<std::string> aliases;
    double latitude = 0;
    double longitude = 0;
    PlaceKind kind = PlaceKind::Landmark;
};

/// Facts, not code: the places come from a TSV file (resources/places/seattle.tsv, compiled
/// in as the Qt resource :/dd/places/seattle.tsv) so they are corrected without touching
/// the rules. Immutable once built, so one instance is shared by every thread.
class Gazetteer
{
public:
    /// A name or alias in normal form, and the place it names.
    struct Key
    {
        PlaceText text;
        std::size_t place = 0; ///< index into places()
    };

    /// The product's gazetteer (Seattle), loaded once from the resource.
    static const Gazetteer &seattle();

    /// Reads "name<TAB>alias|alias<TAB>latitude<TAB>longitude<TAB>neighbourhood|landmark" lines
    /// ('#' starts a comment line). Malformed lines are left out and described in `problems`
    /// (one line each) when given. Places outside the service area are not places() (no
    /// request can go there) but are remembered, so "Kirkland" is refused as outside the
    /// area instead of being taken for free text.
    static Gazetteer fromTsv(std::string_view tsv, std::vector<std::string> *problems = nullptr);

    const std::vector<Place> &places() const { return m_places; }
    const std::vector<Key> &keys() const { return m_keys; }
    /// The place whose name or an alias has this normal-form key; nullptr if none.
    const Place *find(const std::string &key) const;
    /// A known place outside the service area under this key; nullptr if none.
    const Place *findOutside(const std::string &key) const;

private:
    std::vector<Place> m_places;
    std::vector<Key> m_keys;
    std::unordered_map<std::string, std::size_t> m_byKey; ///< normal-form key → place index
    std::vector<Place> m_outside;
    std::unordered_map<std::string, std::size_t> m_outsideByKey;
};

} // namespace dd::domain
