#include "TestDataWords.h"

namespace rd::bench {

namespace {

const char *const Prefixes[] = {"North", "South", "East", "West", "Blue", "Red", "Green", "Silver",
    "Golden", "Iron", "Stone", "River", "Lake", "Sun", "Moon", "Star", "Cloud", "Bright", "Swift",
    "Clear", "Deep", "High", "Old", "New", "Grand", "Royal", "Urban", "Alpine", "Coastal", "Prime",
    "Nova", "Terra", "Aqua", "Vita", "Omni", "Pan", "Inter", "Trans", "Micro", "Mega"};
const char *const Roots[] = {"bridge", "field", "wood", "ridge", "haven", "gate", "port", "stone",
    "brook", "point", "crest", "vale", "mark", "wind", "light", "forge", "works", "line", "path",
    "view", "tech", "soft", "data", "net", "logic", "med", "gen", "tron", "sys", "core", "wave",
    "berg", "holm", "dal", "feld", "sen", "ville", "mont", "star", "leaf"};
const char *const Kinds[] = {"Logistics", "Foods", "Clinics", "Labs", "Robotics", "Studios",
    "Legal", "Retail", "Energy", "Analytics", "Travel", "Insurance", "Consulting", "Engineering",
    "Pharma", "Textiles", "Motors", "Media", "Architects", "Dental", "Bakery", "Brewing", "Farms",
    "Security", "Software", "Hotels", "Print", "Marine", "Aviation", "Solar"};
const char *const LegalForms[] = {
    "GmbH", "Ltd", "SAS", "Inc.", "AG", "B.V.", "S.p.A.", "LLC", "Oy", "AB", "S.L.", "Sp. z o.o."};
const char *const FirstNames[] = {"Ada", "Bruno", "Chloé", "Dmitri", "Elif", "Farah", "Gustav",
    "Hana", "Ivo", "Jonas", "Keiko", "Lena", "Mateo", "Nora", "Omar", "Priya", "Quinn", "Rosa",
    "Sven", "Tariq", "Ulla", "Valentina", "Wei", "Xavier", "Yara", "Zoltán", "Amélie", "Björn",
    "Carmen", "Darius", "Emma", "Finn", "Greta", "Hugo", "Ingrid", "Jakub", "Kofi", "Lucía",
    "Malik", "Nadia", "Oskar", "Paula", "Rafael", "Sofia", "Thomas", "Úrsula", "Viktor", "Wanda"};
const char *const LastNames[] = {"Andersen", "Bianchi", "Costa", "Dubois", "Eriksen", "Fischer",
    "García", "Huber", "Ito", "Jansen", "Kowalski", "Laurent", "Moreau", "Novak", "Okafor",
    "Petrov", "Quintero", "Rossi", "Schmidt", "Tanaka", "Ulrich", "Varga", "Weber", "Xu", "Yilmaz",
    "Zimmermann", "Almeida", "Becker", "Castillo", "Dimitrov", "Engström", "Fernández", "Gruber",
    "Horvat", "Ivanova", "Johansson", "Keller", "Lindqvist", "Müller", "Nielsen", "O'Brien",
    "Popescu", "Richter", "Santos", "Takahashi", "Vasquez", "Wójcik", "Young"};
const char *const TopLevelDomains[]
    = {"com", "de", "fr", "co.uk", "nl", "it", "es", "se", "pl", "io", "net", "eu"};
const char *const ResellerWords[] = {"Northwind", "Contoso", "Fabrikam", "Tailspin", "Litware",
    "Proseware", "Adventure", "Wingtip", "Lucerne", "Margie", "Coho", "Fourth", "Graphic",
    "Humongous", "Lamna", "Alpine", "Blue Yonder", "Consolidated", "Datum", "Trey", "Woodgrove",
    "Relecloud", "Munson", "Bellows", "Baldwin", "Southridge", "VanArsdel", "Tasmanian",
    "Wide World", "Nod", "Lakeshore", "Boulder", "Cascade", "Harbor", "Summit", "Pinnacle",
    "Keystone", "Meridian", "Horizon", "Vanguard"};
const char *const ResellerKinds[] = {"Partners", "Solutions", "IT Services", "Systems", "Digital",
    "Networks", "Consulting", "Distribution", "Cloud", "Technologies", "Group", "Direct", "Channel",
    "Integrators", "Services", "Computing", "Software", "Telecom", "Data", "Resellers", "Trading",
    "Works", "Online", "Connect", "Logic"};
// Common (several percent of the rows), medium and rare fragments of the
// four searched columns, and two that match nothing (the worst case for a
// scan that stops after the first matches).
const char *const SearchTerms[]
    = {"alp", "brid", "tech", "logi", "gmbh", "sven", "garc", "novak", "holm", "pharm", "marin",
        "solar", "vale", "omni", "zolt", "quint", "wójc", "xavi", "qzx", "yyzz"};

template<typename T, std::size_t N> std::span<const char *const> all(const T (&list)[N])
{
    return std::span<const char *const>(list, N);
}

} // namespace

std::span<const char *const> TestDataWords::prefixes()
{
    return all(Prefixes);
}
std::span<const char *const> TestDataWords::roots()
{
    return all(Roots);
}
std::span<const char *const> TestDataWords::kinds()
{
    return all(Kinds);
}
std::span<const char *const> TestDataWords::legalForms()
{
    return all(LegalForms);
}
std::span<const char *const> TestDataWords::firstNames()
{
    return all(FirstNames);
}
std::span<const char *const> TestDataWords::lastNames()
{
    return all(LastNames);
}
std::span<const char *const> TestDataWords::topLevelDomains()
{
    return all(TopLevelDomains);
}
std::span<const char *const> TestDataWords::resellerWords()
{
    return all(ResellerWords);
}
std::span<const char *const> TestDataWords::resellerKinds()
{
    return all(ResellerKinds);
}
std::span<const char *const> TestDataWords::searchTerms()
{
    return all(SearchTerms);
}

} // namespace rd::bench
