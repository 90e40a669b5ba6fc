// HTML rendering: the escape function and the notebook views of debtors, accounts, compliance
// decisions and Metro 2 segments.
#include "arrears/html.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>

#include "arrears/account.hpp"
#include "arrears/contact_policy.hpp"
#include "arrears/debtor.hpp"
#include "arrears/metro2.hpp"

namespace arrears {

namespace {
constexpr std::array<bool, 256> kEscapeTable = [] {
    std::array<bool, 256> t{};
    for (char c : std::string_view("&<>\"'")) t[static_cast<unsigned char>(c)] = true;
    return t;
}();
}  // namespace

void html_escape_append(std::string_view text, std::string& out) {
    const char* p = text.data();
    const char* end = p + text.size();
    const char* run = p;
    for (; p != end; ++p) {
        if (!kEscapeTable[static_cast<unsigned char>(*p)]) [[likely]]
            continue;
        out.append(run, static_cast<std::size_t>(p - run));
        switch (*p) {
            case '&': out.append("&amp;", 5); break;
            case '<': out.append("&lt;", 4); break;
            case '>': out.append("&gt;", 4); break;
            case '"': out.append("&quot;", 6); break;
            default: out.append("&#39;", 5); break;
        }
        run = p + 1;
    }
    out.append(run, static_cast<std::size_t>(end - run));
}

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 8);
    html_escape_append(text, out);
    return out;
}

namespace {

std::string html_row(std::initializer_list<std::string> cells, const char* tag = "td") {
    std::string out = "<tr>";
    for (const auto& c : cells)
        out += std::string("<") + tag + " style=\"text-align:left\">" + html_escape(c) + "</" +
               tag + ">";
    return out + "</tr>";
}

std::string opt_text(const std::optional<Date>& d) { return d ? to_iso(*d) : ""; }

std::string money_cell(const Money& m) { return html_escape(m.format()); }

}  // namespace

std::string to_html(const Debtor& d) {
    std::string out = "<div><strong>Debtor " + html_escape(d.id) + "</strong>: " +
                      html_escape(d.full_name());
    if (d.ssn) out += ", SSN " + d.ssn->masked();
    if (d.date_of_birth) out += ", born " + to_iso(*d.date_of_birth);
    out += ", language " + html_escape(d.preferred_language);
    std::string tz;
    for (const auto& z : d.possible_time_zones()) tz += (tz.empty() ? "" : ", ") + z;
    out += "<br>time zones: " + html_escape(tz.empty() ? "unknown" : tz);
    std::string flags;
    auto flag = [&flags](const std::string& f) { flags += (flags.empty() ? "" : "; ") + f; };
    if (d.deceased) flag("deceased (reported " + to_iso(d.deceased->reported_on) + ")");
    for (const auto& b : d.bankruptcies)
        flag("chapter " + std::to_string(b.chapter) + " bankruptcy filed " + to_iso(b.filed_on) +
             (b.discharged_on ? ", discharged " + to_iso(*b.discharged_on) : "") +
             (b.dismissed_on ? ", dismissed " + to_iso(*b.dismissed_on) : ""));
    for (const auto& a : d.attorneys)
        flag("attorney " + (a.name.empty() ? a.firm : a.name) + " since " + to_iso(a.since));
    for (const auto& m : d.military_service) flag("active duty since " + to_iso(m.since));
    for (const auto& c : d.cease_communications)
        flag("cease on " + c.account_id + " since " + to_iso(c.received_on));
    for (const auto& o : d.opt_outs)
        flag("opted out of " + std::string(to_string(o.channel)) +
             (o.contact_point_id.empty() ? "" : " at " + o.contact_point_id));
    if (!d.inconvenient_times.empty())
        flag(std::to_string(d.inconvenient_times.size()) + " inconvenient time(s)");
    if (!flags.empty()) out += "<br>flags: " + html_escape(flags);
    out += "</div><table><thead>" +
           html_row({"kind", "value", "type", "status", "confidence", "source", "last seen",
                     "best for"},
                    "th") +
           "</thead><tbody>";
    auto best_for = [&](std::size_t index, std::initializer_list<Channel> channels) {
        std::string s;
        for (Channel c : channels) {
            auto b = d.best_contact_point(c);
            if (b && *b == index) s += (s.empty() ? "" : ", ") + std::string(to_string(c));
        }
        return s;
    };
    for (std::size_t i = 0; i < d.addresses.size(); ++i) {
        const auto& a = d.addresses[i];
        out += html_row({"address", a.line1 + (a.line2.empty() ? "" : ", " + a.line2) + ", " +
                                        a.city + ", " + a.state + " " + a.zip,
                         std::string(to_string(a.type)), std::string(to_string(a.status)),
                         std::to_string(a.confidence), std::string(to_string(a.source)),
                         opt_text(a.last_seen), best_for(i, {Channel::mail})});
    }
    for (std::size_t i = 0; i < d.phones.size(); ++i) {
        const auto& p = d.phones[i];
        out += html_row({"phone", p.formatted(), std::string(to_string(p.type)),
                         std::string(to_string(p.status)), std::to_string(p.confidence),
                         std::string(to_string(p.source)), opt_text(p.last_seen),
                         best_for(i, {Channel::call, Channel::text})});
    }
    for (std::size_t i = 0; i < d.emails.size(); ++i) {
        const auto& e = d.emails[i];
        out += html_row({"email", e.address, std::string(to_string(e.type)),
                         std::string(to_string(e.status)), std::to_string(e.confidence),
                         std::string(to_string(e.source)), opt_text(e.last_seen),
                         best_for(i, {Channel::email})});
    }
    return out + "</tbody></table>";
}

std::string to_html(const Account& a) {
    const auto& info = a.info();
    const Balance b = a.ledger().balance();
    std::string out = "<div><strong>Account " + html_escape(info.id) + "</strong>";
    if (!info.account_number.empty()) out += " (" + html_escape(a.masked_account_number()) + ")";
    out += ": " + std::string(to_string(a.status())) + ", " +
           std::string(to_string(info.product_type)) + ", opened " + to_iso(a.opened_on());
    if (!info.current_creditor.empty()) out += ", creditor " + html_escape(info.current_creditor);
    if (info.itemization_date)
        out += ", itemization date " + to_iso(*info.itemization_date) + " (" +
               std::string(to_string(*info.itemization_basis)) + ")";
    out += "</div><table><thead><tr><th>principal</th><th>interest</th><th>fees</th><th>costs</th>"
           "<th>unapplied</th><th>total</th></tr></thead><tbody><tr><td>" +
           money_cell(b.principal()) + "</td><td>" + money_cell(b.interest()) + "</td><td>" +
           money_cell(b.fees()) + "</td><td>" + money_cell(b.costs()) + "</td><td>" +
           money_cell(b.unapplied_credit()) + "</td><td><strong>" + money_cell(b.total()) +
           "</strong></td></tr></tbody></table>";
    const auto& tx = a.ledger().transactions();
    if (tx.empty()) return out + "<div>no transactions</div>";
    const std::size_t shown = std::min<std::size_t>(tx.size(), 20);
    out += "<table><thead><tr><th>id</th><th>effective</th><th>type</th><th>amount</th>"
           "<th>principal</th><th>interest</th><th>fees</th><th>costs</th><th>unapplied</th>"
           "<th>balance</th><th>reference</th><th></th></tr></thead><tbody>";
    for (std::size_t i = tx.size() - shown; i < tx.size(); ++i) {
        const Transaction& t = tx[i];
        std::string mark;
        if (t.reversed_by) mark = "reversed by " + std::to_string(*t.reversed_by);
        if (t.restated) mark += std::string(mark.empty() ? "" : "; ") + "restated";
        out += "<tr><td>" + std::to_string(t.id()) + "</td><td>" + to_iso(t.entry.effective) +
               "</td><td>" + std::string(to_string(t.type())) + "</td><td>" +
               money_cell(t.balance_effect()) + "</td><td>" +
               money_cell(t.allocation.principal()) + "</td><td>" +
               money_cell(t.allocation.interest()) + "</td><td>" + money_cell(t.allocation.fees()) +
               "</td><td>" + money_cell(t.allocation.costs()) + "</td><td>" +
               money_cell(t.allocation.unapplied_credit()) + "</td><td>" +
               money_cell(t.balance_after.total()) + "</td><td>" +
               html_escape(t.entry.reference) + "</td><td>" + mark + "</td></tr>";
    }
    out += "</tbody></table>";
    if (shown < tx.size())
        out += "<div>last " + std::to_string(shown) + " of " + std::to_string(tx.size()) +
               " transactions</div>";
    return out;
}

std::string to_html(const Decision& d) {
    std::string out = d.allowed ? "<div><strong style='color:#1a7f37'>allowed</strong></div>"
                                : "<div><strong style='color:#cf222e'>blocked</strong></div>";
    const auto rows = [&](const std::vector<Reason>& list, const char* kind) {
        for (const Reason& r : list)
            out += std::string("<tr><td>") + kind + "</td><td><code>" + html_escape(r.rule) +
                   "</code></td><td>" + html_escape(r.citation) + "</td><td>" +
                   html_escape(r.message) + "</td></tr>";
    };
    if (d.reasons.empty() && d.notes.empty()) return out;
    out += "<table><thead><tr><th></th><th>rule</th><th>citation</th><th>why</th></tr></thead>"
           "<tbody>";
    rows(d.reasons, "reason");
    rows(d.notes, "note");
    return out + "</tbody></table>";
}

std::string metro2_fields_html(std::span<const Metro2Field> fields, std::string_view image) {
    std::string html = "<table><thead><tr><th>field</th><th>positions</th><th>value</th></tr>"
                       "</thead><tbody>";
    for (const auto& f : fields) {
        if (!f.is_value()) continue;
        const std::string value = f.is_sensitive() ? "&lt;masked&gt;"
                                                   : html_escape(image.substr(f.offset(), f.length));
        html += "<tr><td>" + std::string(f.name) + "</td><td>" + std::to_string(f.start) + "-" +
                std::to_string(f.end()) + "</td><td><code>" + value + "</code></td></tr>";
    }
    return html + "</tbody></table>";
}

}  // namespace arrears
