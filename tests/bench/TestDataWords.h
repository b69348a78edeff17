#pragma once

#include <span>

namespace rd::bench {

// The vocabulary of the generated customers: company names are built from
// a prefix, a root, a line of business and a legal form; contacts from
// first and last names of several languages. Fixed lists, so the data (and
// the search terms that hit it) are the same in every run.
struct TestDataWords
{
    static std::span<const char *const> prefixes();
    static std::span<const char *const> roots();
    static std::span<const char *const> kinds();
    static std::span<const char *const> legalForms();
    static std::span<const char *const> firstNames();
    static std::span<const char *const> lastNames();
    static std::span<const char *const> topLevelDomains();
    static std::span<const char *const> resellerWords();
    static std::span<const char *const> resellerKinds();
    // The 20 search terms (3-5 letters): frequent, rare and absent ones.
    static std::span<const char *const> searchTerms();
};

} // namespace rd::bench
