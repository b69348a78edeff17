#include "Candidates.h"

#include "NaiveCustomerAdder.h"
#include "NaiveCustomerList.h"
#include "ServiceCustomerAdder.h"
#include "ServiceCustomerList.h"

namespace rd::bench {

// To measure a new implementation: write a CustomerListCandidate (or
// CustomerAdderCandidate) for it and add it here. Name it "ours" to make it
// the one the table compares with "naive" (rename the one it replaces, e.g.
// "service-page", to keep measuring both).
std::vector<Candidate> candidates()
{
    return {
        {"ours", false,
            [](const BenchContext &c) { return std::make_unique<ServiceCustomerList>(c); },
            [](const BenchContext &c) { return std::make_unique<ServiceCustomerAdder>(c); }},
        // The same model read on the GUI thread, as before the worker.
        {"gui-thread", false,
            [](const BenchContext &c) {
                return std::make_unique<ServiceCustomerList>(
                    c, ServiceCustomerList::Mode::GuiThread);
            },
            {}},
        {"naive", true,
            [](const BenchContext &c) { return std::make_unique<NaiveCustomerList>(c); },
            [](const BenchContext &c) { return std::make_unique<NaiveCustomerAdder>(c); }},
    };
}

} // namespace rd::bench
