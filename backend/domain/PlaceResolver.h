// Location text → a point of the service area: coordinates, a gazetteer place, or a stand-in for free text.
#pragma once

#include "backend/domain/FieldError.h"
#include "backend/domain/Gazetteer.h"
#include "domain.pb.h"

#include <string>
#include <string_view>
#include <vector>

namespace dd::domain {

/// What free text that names no known place becomes (docs/http-api.md, "Locations").
enum class PlacePolicy {
    /// The reference API takes any text ("my pickup" in its own README) and still
    /// delivers: such text gets a stable stand-in point inside the service area,
    /// flagged Location.stand_in. A near miss of a known name is still refused.
    Lenient,
    /// Only coordinates and gazetteer places: free text is refused like a near miss.
    Strict,
};

/// Outcomes of resolve(), in the order they are tried:
///  1. "lat,lon" or the reference's "alt,lat,lon" (numbers, any spacing): finite, in range
///     and inside the service area, else an error;
///  2. a gazetteer name or alias, compared in normal form (PlaceText): its coordinates, with
///     Location.place set to the canonical name; a known place outside the area: an error;
///  3. text close to a known name (small edit distance for its length, its words prefixes of
///     the name's words, or the name inside it) but not equal: an error "unknown place
///     "Fremnt"; did you mean Fremont?" with up to 3 suggestions;
///  4. any other text: Lenient → a stand-in point (stable: a hash of the normal form);
///     Strict → an error "unknown place";
///  5. empty: a "required" error.
/// Errors carry the field name given. Thread-safe (the gazetteer is immutable).
class PlaceResolver
{
public:
    struct Result
    {
        bool ok = false;
        dronedelivery::v1::Location location; ///< ok
        FieldError error; ///< !ok
    };

    static constexpr std::size_t kMaxSuggestions = 3;

    explicit PlaceResolver(const Gazetteer &gazetteer);
    /// The resolver on the product's gazetteer (Gazetteer::seattle()).
    static const PlaceResolver &standard();

    Result resolve(std::string_view text, std::string_view field, PlacePolicy policy) const;

    /// Never fails, for text accepted before these rules (stored requests): coordinates as
    /// written (even outside the area), a known place, else the stand-in point.
    dronedelivery::v1::Location locate(std::string_view text) const;

    /// The stand-in point of free text: inside 90 % of the service radius, the same for
    /// the same normal form in every process and run (FNV-1a and a finaliser, not std::hash).
    static dronedelivery::v1::Location standIn(std::string_view text);

    /// Up to kMaxSuggestions canonical names close to `text`, best first.
    std::vector<std::string> suggestions(std::string_view text) const;

    const Gazetteer &gazetteer() const { return m_gazetteer; }

private:
    const Gazetteer &m_gazetteer;
};

/// What the console shows under a location box while the dispatcher types.
struct PlacePreview
{
    bool ok = false;
    /// ok: "West Seattle · 47.5612, -122.3868", "47.6100, -122.3300" or
    /// "not a known place: stand-in point 47.6012, -122.3587"; !ok: the error message.
    std::string text;
    std::vector<std::string> suggestions; ///< !ok: close known names, best first
};

/// The console's one call: how `text` would resolve under `policy`, in words. Cheap enough
/// to run on every keystroke (a hash lookup; a scan of ~100 names only on a miss).
PlacePreview describePlace(std::string_view text, PlacePolicy policy = PlacePolicy::Lenient);

} // namespace dd::domain
