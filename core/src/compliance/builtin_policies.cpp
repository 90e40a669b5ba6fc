// The built-in contact rule sets, as the JSON documents a compliance officer reviews. Export them
// with `ContactPolicy.regulation_f().save("regulation_f.json")` (Python) and load a reviewed copy
// with `ContactPolicy.load(...)`. Facts and citations: ../shared/reference/regulation-f.md.
// NOT LEGAL ADVICE.
#include "compliance/builtin.hpp"

namespace arrears::detail {

const char* const kRegulationF = R"json({
  "format": "arrears.contact_policy",
  "version": 1,
  "name": "Regulation F",
  "note": "Not legal advice: a compliance officer reviews and may change every rule. Regulation F (12 CFR part 1006) as amended by 85 FR 76734 and 86 FR 5766, effective 2021-11-30. Days are the consumer's local dates; when the consumer may be in several time zones, every zone must pass; with no known location, every served zone.",
  "overlays": [],
  "served_time_zones": [
    "America/New_York", "America/Detroit", "America/Indiana/Indianapolis", "America/Chicago",
    "America/Denver", "America/Boise", "America/Phoenix", "America/Los_Angeles",
    "America/Anchorage", "America/Adak", "Pacific/Honolulu"
  ],
  "rules": [
    {
      "id": "reg_f.call_frequency",
      "kind": "frequency",
      "citation": "12 CFR 1006.14(b)(2)(i)(A)",
      "summary": "No more than 7 calls to a person about a debt within 7 consecutive days.",
      "notes": "Counted per (person, debt) over any 7 consecutive local dates of the consumer; calls to every number of the person add up. A placed call counts when it connected to the dialed number (answered, rang unanswered, reached voicemail, left a message); calls not connected do not count (1006.14(b)(3)(ii)), inbound calls do not count, and calls placed with consent given directly within 7 days (the consent date is day 1) do not count (1006.14(b)(3)(i)). A call about several debts counts against each. Voicemail drops are treated as calls (conservative).",
      "channels": ["call", "voicemail"],
      "counted_channels": ["call", "voicemail"],
      "max": 7,
      "window_days": 7,
      "unit": "person_debt",
      "count": "connected",
      "consent_days": 7
    },
    {
      "id": "reg_f.call_after_conversation",
      "kind": "conversation",
      "citation": "12 CFR 1006.14(b)(2)(i)(B)",
      "summary": "No calls to a person about a debt within 7 consecutive days after a telephone conversation with them about it; the date of the conversation is day 1.",
      "notes": "A conversation on an inbound call starts the period too. A conversation about several debts counts as one about each. Calls placed with consent given directly within 7 days do not count (1006.14(b)(3)(i)).",
      "channels": ["call", "voicemail"],
      "conversation_channels": ["call"],
      "window_days": 7,
      "consent_days": 7
    },
    {
      "id": "reg_f.time_of_day",
      "kind": "time_of_day",
      "citation": "12 CFR 1006.6(b)(1)(i)",
      "summary": "Communicate or attempt to communicate only from 08:00 to 21:00 local time at the consumer's location.",
      "notes": "Half-open [08:00, 21:00): 21:00:00 itself is blocked (slightly conservative). Several possible locations: the intersection of the windows (commentary to 1006.6(b)(1)(i)). Every medium.",
      "channels": ["call", "text", "email", "letter", "voicemail"],
      "start": "08:00",
      "end": "21:00"
    },
    {
      "id": "reg_f.inconvenient_time",
      "kind": "designated_times",
      "citation": "12 CFR 1006.6(b)(1)(i)",
      "summary": "No communication at a time the consumer told the collector is inconvenient.",
      "notes": "The collector may respond once, through the same medium, to a contact the consumer starts at such a time (comment 6(b)(1)-2; CFPB FAQ). 'Busy now' alone applies only to that contact and is not a designation.",
      "channels": ["call", "text", "email", "letter", "voicemail"],
      "allow_reply": true
    },
    {
      "id": "reg_f.cease",
      "kind": "cease",
      "citation": "12 CFR 1006.6(c)",
      "summary": "After the consumer refuses in writing to pay a debt or asks the collector to cease communication, no communication about that debt except the notices of 1006.6(c)(2).",
      "notes": "Per (consumer, debt); independent of medium opt-outs and inconvenient times. Allowed: further efforts are being terminated (c)(2)(i), remedies that may be invoked (c)(2)(ii), a specified remedy will be invoked (c)(2)(iii).",
      "channels": ["call", "text", "email", "letter", "voicemail"],
      "allowed_tags": ["terminating_efforts", "remedy_notice", "remedy_intent"]
    },
    {
      "id": "reg_f.medium_opt_out",
      "kind": "medium_opt_out",
      "citation": "12 CFR 1006.14(h)",
      "summary": "No communication through a medium the person asked the collector not to use.",
      "notes": "Exceptions: one electronic confirmation of the opt-out containing only that confirmation (h)(2)(i); one response through the same medium to a contact the person starts through it (h)(2)(ii); a medium other applicable law requires (h)(2)(iii). An opt-out of calls also covers voicemail.",
      "channels": ["call", "text", "email", "letter", "voicemail"],
      "allowed_tags": ["required_by_law"],
      "allow_confirmation": true,
      "allow_reply": true
    },
    {
      "id": "reg_f.dispute_pause",
      "kind": "dispute_pause",
      "citation": "12 CFR 1006.38(d)(2)",
      "summary": "After a dispute in writing within the validation period, collection of the debt stops until the collector sends verification.",
      "notes": "There is no deadline to verify; collection stays paused until verification is recorded as sent. A later (or oral) dispute only marks the debt disputed for credit reporting (15 U.S.C. 1692e(8)).",
      "channels": ["call", "text", "email", "letter", "voicemail"],
      "allowed_tags": ["verification", "dispute_response", "terminating_efforts"],
      "written_only": true
    },
    {
      "id": "reg_f.attorney",
      "kind": "attorney",
      "citation": "12 CFR 1006.6(b)(2)",
      "summary": "No communication with a consumer known to be represented by an attorney about the debt.",
      "notes": "FDCPA 805(a)(2), 15 U.S.C. 1692c(a)(2). The citation is not in the project reference: verify. The exceptions (the attorney does not respond, or consents) are not modelled.",
      "channels": ["call", "text", "email", "letter", "voicemail"]
    },
    {
      "id": "bankruptcy.automatic_stay",
      "kind": "bankruptcy",
      "citation": "11 U.S.C. 362(a)(6)",
      "summary": "No act to collect a pre-petition claim while the bankruptcy automatic stay is in effect.",
      "notes": "The citation is not in the project reference: verify. A proof of claim is how a creditor collects in bankruptcy and is not blocked.",
      "channels": ["call", "text", "email", "letter", "voicemail"],
      "allowed_tags": ["proof_of_claim"]
    },
    {
      "id": "reg_f.deceased",
      "kind": "deceased",
      "citation": "12 CFR 1006.6(a)(4)",
      "summary": "A deceased consumer is not contacted; only the executor, administrator or personal representative of the estate is a 'consumer'.",
      "notes": "A blocking policy built on the definition in 1006.6(a)(4); the citation is not in the project reference: verify.",
      "channels": ["call", "text", "email", "letter", "voicemail"]
    },
    {
      "id": "reg_f.time_barred_suit",
      "kind": "time_barred",
      "citation": "12 CFR 1006.26(b)",
      "summary": "No legal action, and no threat of legal action, to collect a time-barred debt.",
      "notes": "Strict liability: a violation even when the collector did not know the debt was time-barred. Proofs of claim in bankruptcy are excluded by the rule text.",
      "channels": ["call", "text", "email", "letter", "voicemail"],
      "allowed_tags": ["proof_of_claim"],
      "blocked_tags": ["legal_action", "threat_of_suit"]
    }
  ]
})json";

const char* const kOverlayMA = R"json({
  "format": "arrears.contact_policy_overlay",
  "version": 1,
  "code": "MA",
  "name": "Massachusetts (940 CMR 7.00)",
  "note": "940 CMR 7.00 applies to creditors collecting their own debts, not only to collectors. 209 CMR 18.00 (collection agencies) mirrors these limits.",
  "rules": [
    {
      "id": "ma.telephone_frequency",
      "kind": "frequency",
      "citation": "940 CMR 7.04(1)(f)",
      "summary": "No more than 2 communications initiated by telephone (calls, texts, recorded audio messages) about a debt in each 7-day period.",
      "notes": "Counted per debt over any 7 consecutive local dates (rolling, stricter than fixed weeks). A call that connected counts even when no one answered: the creditor could have left a message (Watkins v. Glenn Assocs., Mass. Super. 2016); calls not connected are excused ('truly unable' to reach, AG guidance). No consent exception. Not modelled: at most 2 per 30 days to other numbers such as work (contact attempts do not carry the number type), one in-person visit per 30 days. Sources [S]: masslegalhelp.org, Justia.",
      "channels": ["call", "text", "voicemail"],
      "counted_channels": ["call", "text", "voicemail"],
      "max": 2,
      "window_days": 7,
      "unit": "person_debt",
      "count": "connected",
      "consent_days": 0
    },
    {
      "id": "ma.time_of_day",
      "kind": "time_of_day",
      "citation": "940 CMR 7.04(1)(f)",
      "summary": "Telephone communication only during the debtor's normal waking hours: 08:00 to 21:00 when not known otherwise.",
      "notes": "Same window as Regulation F; kept so the Massachusetts rule is visible (it also reaches creditors). Source [S]: masslegalhelp.org.",
      "channels": ["call", "text", "voicemail"],
      "start": "08:00",
      "end": "21:00"
    }
  ]
})json";

const char* const kOverlayNYC = R"json({
  "format": "arrears.contact_policy_overlay",
  "version": 1,
  "code": "NYC",
  "name": "New York City (6 RCNY 5-76, 5-77)",
  "note": "DCWP amended rules published 2024-08-12; the effective date moved (2024-12-01 -> 2025-04-01 -> 2025-10-01 per different sources) [S, conflicting: check DCWP]. Not modelled: written consent for email and text, the 45-day Notice of Unverified Debt.",
  "rules": [
    {
      "id": "nyc.communication_frequency",
      "kind": "frequency",
      "citation": "6 RCNY 5-77",
      "summary": "No more than 3 attempted communications with a consumer within 7 days, across all media.",
      "notes": "Counted per consumer across all debts (the rule counts debts of separate, non-affiliated creditors separately; the engine does not know creditors and counts them together, the stricter reading). Every outbound attempt counts, connected or not. A contact about several debts counts once.",
      "channels": ["call", "text", "email", "letter", "voicemail"],
      "counted_channels": ["call", "text", "email", "letter", "voicemail"],
      "max": 3,
      "window_days": 7,
      "unit": "consumer",
      "count": "attempted",
      "consent_days": 0
    },
    {
      "id": "nyc.dispute_pause",
      "kind": "dispute_pause",
      "citation": "6 RCNY 5-77",
      "summary": "An oral or written dispute within the validation period pauses collection until verification is provided.",
      "channels": ["call", "text", "email", "letter", "voicemail"],
      "allowed_tags": ["verification", "dispute_response", "terminating_efforts"],
      "written_only": false
    }
  ]
})json";

const char* const kOverlayWA = R"json({
  "format": "arrears.contact_policy_overlay",
  "version": 1,
  "code": "WA",
  "name": "Washington (RCW 19.16.250)",
  "note": "Collection Agency Act. Source [S]: WA DFI consumer page.",
  "rules": [
    {
      "id": "wa.communication_frequency",
      "kind": "frequency",
      "citation": "RCW 19.16.250",
      "summary": "No more than 3 communications with the debtor (or spouse) in a single week.",
      "notes": "Any 7 consecutive local dates (stricter than calendar weeks); communications that reached the consumer in every medium count, per consumer across debts. Not modelled: at most 1 per week at the workplace (contact attempts do not carry the place).",
      "channels": ["call", "text", "email", "letter", "voicemail"],
      "counted_channels": ["call", "text", "email", "letter", "voicemail"],
      "max": 3,
      "window_days": 7,
      "unit": "consumer",
      "count": "connected",
      "consent_days": 0
    },
    {
      "id": "wa.time_of_day",
      "kind": "time_of_day",
      "citation": "RCW 19.16.250",
      "summary": "No communication before 07:30 or after 21:00.",
      "notes": "The WA AG page says 08:00 to 21:00; Regulation F's 08:00 start applies anyway, so the effective window is the intersection, 08:00 to 21:00.",
      "channels": ["call", "text", "email", "letter", "voicemail"],
      "start": "07:30",
      "end": "21:00"
    }
  ]
})json";

}  // namespace arrears::detail
