// The built-in statute-of-limitations table (reference regulation-f.md 1.13). NEEDS LEGAL
// REVIEW: the citations come from a survey and were not checked. Export it with
// `arrears.compliance.StatuteOfLimitations.builtin().to_json()`; override entries with
// `with_period(...)` or load a reviewed table with `StatuteOfLimitations.from_json(...)`.
#include "compliance/builtin.hpp"

namespace arrears::detail {

const char* const kStatuteOfLimitations = R"json({
  "format": "arrears.statute_of_limitations",
  "version": 1,
  "needs_legal_review": true,
  "note": "NEEDS LEGAL REVIEW. Compiled from a 50-state survey (idesignedmyself/credit_evo SOL_limits.md, reference regulation-f.md 1.13) [S]; the citations are copied from it and have NOT been checked. A per-state legal review is needed before the engine decides a debt is time-barred. Credit cards are usually argued as open accounts. Borrowing statutes can import a shorter period (e.g. Delaware's 3 years for Delaware-chartered issuers). Revival rules differ by state and are not modelled: 'runs_from' is whatever date the applicable law starts the period from (accrual, default, last payment).",
  "debt_types": [
    "open_account",
    "oral_contract",
    "promissory_note",
    "written_contract"
  ],
  "periods": [
    {
      "state": "CA",
      "debt_type": "open_account",
      "years": 4,
      "citation": "Cal. Code Civ. Proc. 337"
    },
    {
      "state": "CA",
      "debt_type": "written_contract",
      "years": 4,
      "citation": "Cal. Code Civ. Proc. 337"
    },
    {
      "state": "CA",
      "debt_type": "promissory_note",
      "years": 4,
      "citation": "Cal. Code Civ. Proc. 337"
    },
    {
      "state": "NY",
      "debt_type": "open_account",
      "years": 3,
      "citation": "N.Y. CPLR 214-i (consumer credit transactions)",
      "note": "No revival by payment or acknowledgment (CPLR 214-i, effective 2022-04-07). The 6-year promissory-note figure is the survey's non-consumer period; a consumer credit transaction is 3 years."
    },
    {
      "state": "NY",
      "debt_type": "written_contract",
      "years": 3,
      "citation": "N.Y. CPLR 214-i (consumer credit transactions)",
      "note": "No revival by payment or acknowledgment (CPLR 214-i, effective 2022-04-07). The 6-year promissory-note figure is the survey's non-consumer period; a consumer credit transaction is 3 years."
    },
    {
      "state": "NY",
      "debt_type": "promissory_note",
      "years": 6,
      "citation": "N.Y. CPLR 214-i (consumer credit transactions)",
      "note": "No revival by payment or acknowledgment (CPLR 214-i, effective 2022-04-07). The 6-year promissory-note figure is the survey's non-consumer period; a consumer credit transaction is 3 years."
    },
    {
      "state": "TX",
      "debt_type": "open_account",
      "years": 4,
      "citation": "Tex. Civ. Prac. & Rem. Code 16.004"
    },
    {
      "state": "TX",
      "debt_type": "written_contract",
      "years": 4,
      "citation": "Tex. Civ. Prac. & Rem. Code 16.004"
    },
    {
      "state": "TX",
      "debt_type": "promissory_note",
      "years": 4,
      "citation": "Tex. Civ. Prac. & Rem. Code 16.004"
    },
    {
      "state": "FL",
      "debt_type": "open_account",
      "years": 4,
      "citation": "Fla. Stat. 95.11(3)(k), (2)(b)"
    },
    {
      "state": "FL",
      "debt_type": "written_contract",
      "years": 5,
      "citation": "Fla. Stat. 95.11(3)(k), (2)(b)"
    },
    {
      "state": "FL",
      "debt_type": "promissory_note",
      "years": 5,
      "citation": "Fla. Stat. 95.11(3)(k), (2)(b)"
    },
    {
      "state": "IL",
      "debt_type": "open_account",
      "years": 5,
      "citation": "735 ILCS 5/13-205, 5/13-206",
      "note": "Credit cards are usually treated as unwritten: 5 years."
    },
    {
      "state": "IL",
      "debt_type": "written_contract",
      "years": 10,
      "citation": "735 ILCS 5/13-205, 5/13-206",
      "note": "Credit cards are usually treated as unwritten: 5 years."
    },
    {
      "state": "IL",
      "debt_type": "promissory_note",
      "years": 10,
      "citation": "735 ILCS 5/13-205, 5/13-206",
      "note": "Credit cards are usually treated as unwritten: 5 years."
    },
    {
      "state": "PA",
      "debt_type": "open_account",
      "years": 4,
      "citation": "42 Pa.C.S. 5525"
    },
    {
      "state": "PA",
      "debt_type": "written_contract",
      "years": 4,
      "citation": "42 Pa.C.S. 5525"
    },
    {
      "state": "PA",
      "debt_type": "promissory_note",
      "years": 4,
      "citation": "42 Pa.C.S. 5525"
    },
    {
      "state": "OH",
      "debt_type": "open_account",
      "years": 6,
      "citation": "Ohio Rev. Code 2305.07, 2305.06",
      "note": "Conflict: 2021 SB 13 is recalled as cutting written contracts 8 -> 6 and oral 6 -> 4 years; the survey gives 6."
    },
    {
      "state": "OH",
      "debt_type": "written_contract",
      "years": 6,
      "citation": "Ohio Rev. Code 2305.07, 2305.06",
      "note": "Conflict: 2021 SB 13 is recalled as cutting written contracts 8 -> 6 and oral 6 -> 4 years; the survey gives 6."
    },
    {
      "state": "OH",
      "debt_type": "promissory_note",
      "years": 6,
      "citation": "Ohio Rev. Code 2305.07, 2305.06",
      "note": "Conflict: 2021 SB 13 is recalled as cutting written contracts 8 -> 6 and oral 6 -> 4 years; the survey gives 6."
    },
    {
      "state": "MA",
      "debt_type": "open_account",
      "years": 6,
      "citation": "M.G.L. c.260 2"
    },
    {
      "state": "MA",
      "debt_type": "written_contract",
      "years": 6,
      "citation": "M.G.L. c.260 2"
    },
    {
      "state": "MA",
      "debt_type": "promissory_note",
      "years": 6,
      "citation": "M.G.L. c.260 2"
    },
    {
      "state": "DE",
      "debt_type": "open_account",
      "years": 3,
      "citation": "10 Del. C. 8106"
    },
    {
      "state": "DE",
      "debt_type": "written_contract",
      "years": 3,
      "citation": "10 Del. C. 8106"
    },
    {
      "state": "DE",
      "debt_type": "promissory_note",
      "years": 6,
      "citation": "10 Del. C. 8106"
    },
    {
      "state": "DC",
      "debt_type": "open_account",
      "years": 3,
      "citation": "D.C. Code 12-301"
    },
    {
      "state": "DC",
      "debt_type": "written_contract",
      "years": 3,
      "citation": "D.C. Code 12-301"
    },
    {
      "state": "DC",
      "debt_type": "promissory_note",
      "years": 3,
      "citation": "D.C. Code 12-301"
    },
    {
      "state": "MD",
      "debt_type": "open_account",
      "years": 3,
      "citation": "Md. Code, Cts. & Jud. Proc. 5-101"
    },
    {
      "state": "MD",
      "debt_type": "written_contract",
      "years": 3,
      "citation": "Md. Code, Cts. & Jud. Proc. 5-101"
    },
    {
      "state": "MD",
      "debt_type": "promissory_note",
      "years": 3,
      "citation": "Md. Code, Cts. & Jud. Proc. 5-101"
    },
    {
      "state": "NC",
      "debt_type": "open_account",
      "years": 3,
      "citation": "N.C.G.S. 1-52"
    },
    {
      "state": "NC",
      "debt_type": "written_contract",
      "years": 3,
      "citation": "N.C.G.S. 1-52"
    },
    {
      "state": "NC",
      "debt_type": "promissory_note",
      "years": 3,
      "citation": "N.C.G.S. 1-52"
    },
    {
      "state": "SC",
      "debt_type": "open_account",
      "years": 3,
      "citation": "S.C. Code 15-3-530"
    },
    {
      "state": "SC",
      "debt_type": "written_contract",
      "years": 3,
      "citation": "S.C. Code 15-3-530"
    },
    {
      "state": "SC",
      "debt_type": "promissory_note",
      "years": 3,
      "citation": "S.C. Code 15-3-530"
    },
    {
      "state": "MS",
      "debt_type": "open_account",
      "years": 3,
      "citation": "Miss. Code 15-1-29, 15-1-49",
      "note": "The debt is extinguished when the period runs."
    },
    {
      "state": "MS",
      "debt_type": "written_contract",
      "years": 3,
      "citation": "Miss. Code 15-1-29, 15-1-49",
      "note": "The debt is extinguished when the period runs."
    },
    {
      "state": "MS",
      "debt_type": "promissory_note",
      "years": 3,
      "citation": "Miss. Code 15-1-29, 15-1-49",
      "note": "The debt is extinguished when the period runs."
    },
    {
      "state": "NH",
      "debt_type": "open_account",
      "years": 3,
      "citation": "RSA 508:4"
    },
    {
      "state": "NH",
      "debt_type": "written_contract",
      "years": 3,
      "citation": "RSA 508:4"
    },
    {
      "state": "NH",
      "debt_type": "promissory_note",
      "years": 6,
      "citation": "RSA 508:4"
    },
    {
      "state": "AK",
      "debt_type": "open_account",
      "years": 3,
      "citation": "AS 09.10.053"
    },
    {
      "state": "AK",
      "debt_type": "written_contract",
      "years": 3,
      "citation": "AS 09.10.053"
    },
    {
      "state": "AK",
      "debt_type": "promissory_note",
      "years": 6,
      "citation": "AS 09.10.053"
    },
    {
      "state": "AL",
      "debt_type": "open_account",
      "years": 3,
      "citation": "Ala. Code 6-2-37, 6-2-34"
    },
    {
      "state": "AL",
      "debt_type": "written_contract",
      "years": 6,
      "citation": "Ala. Code 6-2-37, 6-2-34"
    },
    {
      "state": "AL",
      "debt_type": "promissory_note",
      "years": 6,
      "citation": "Ala. Code 6-2-37, 6-2-34"
    },
    {
      "state": "GA",
      "debt_type": "open_account",
      "years": 4,
      "citation": "O.C.G.A. 9-3-25, 9-3-24"
    },
    {
      "state": "GA",
      "debt_type": "written_contract",
      "years": 6,
      "citation": "O.C.G.A. 9-3-25, 9-3-24"
    },
    {
      "state": "GA",
      "debt_type": "promissory_note",
      "years": 6,
      "citation": "O.C.G.A. 9-3-25, 9-3-24"
    },
    {
      "state": "NJ",
      "debt_type": "open_account",
      "years": 6,
      "citation": "N.J.S.A. 2A:14-1"
    },
    {
      "state": "NJ",
      "debt_type": "written_contract",
      "years": 6,
      "citation": "N.J.S.A. 2A:14-1"
    },
    {
      "state": "NJ",
      "debt_type": "promissory_note",
      "years": 6,
      "citation": "N.J.S.A. 2A:14-1"
    },
    {
      "state": "MI",
      "debt_type": "open_account",
      "years": 6,
      "citation": "MCL 600.5807"
    },
    {
      "state": "MI",
      "debt_type": "written_contract",
      "years": 6,
      "citation": "MCL 600.5807"
    },
    {
      "state": "MI",
      "debt_type": "promissory_note",
      "years": 6,
      "citation": "MCL 600.5807"
    },
    {
      "state": "NV",
      "debt_type": "open_account",
      "years": 4,
      "citation": "NRS 11.190",
      "note": "SB 276 (2023): no revival."
    },
    {
      "state": "NV",
      "debt_type": "written_contract",
      "years": 6,
      "citation": "NRS 11.190",
      "note": "SB 276 (2023): no revival."
    },
    {
      "state": "NV",
      "debt_type": "promissory_note",
      "years": 6,
      "citation": "NRS 11.190",
      "note": "SB 276 (2023): no revival."
    },
    {
      "state": "RI",
      "debt_type": "open_account",
      "years": 10,
      "citation": "R.I.G.L. 9-1-13"
    },
    {
      "state": "RI",
      "debt_type": "written_contract",
      "years": 10,
      "citation": "R.I.G.L. 9-1-13"
    },
    {
      "state": "RI",
      "debt_type": "promissory_note",
      "years": 10,
      "citation": "R.I.G.L. 9-1-13"
    },
    {
      "state": "CA",
      "debt_type": "oral_contract",
      "years": 2,
      "citation": "Cal. Code Civ. Proc. 339"
    },
    {
      "state": "WA",
      "debt_type": "written_contract",
      "years": 6,
      "citation": "RCW 4.16.040",
      "note": "Open accounts are not in the survey excerpt read: add after legal review."
    },
    {
      "state": "WA",
      "debt_type": "oral_contract",
      "years": 3,
      "citation": "RCW 4.16.080"
    }
  ]
})json";

}  // namespace arrears::detail
