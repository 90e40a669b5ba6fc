// DATA, NOT RULES: which IANA time zones U.S. states, ZIP codes and area codes fall in.
//
// Written from working knowledge (county time-zone boundaries as of 2024, USPS 3-digit ZIP
// prefixes, NANP area-code assignments), NOT copied from an authoritative data set. Every row
// needs review by someone who owns the compliance rules before it is relied on; where a row was
// uncertain it lists every zone it might be, because a wider list only makes the contact window
// smaller (the conservative direction under Reg F 1006.6(b)(1)(i)).
//
// Format: zones are space-separated IANA names. In the state table the FIRST zone is the zone of
// ZIP codes that have no exception row; the rest are the other zones found in the state.
// Exceptions apply only to ZIPs of their own state; a 5-digit row beats a 3-digit row.
//
// Known simplifications (see docs/ledger.md):
// - Alaska: every zone but America/Adak has the same rules today, so America/Anchorage stands
//   for Juneau, Sitka, Metlakatla, Yakutat and Nome.
// - Indiana, Kentucky, North Dakota: the county zones (America/Indiana/Vincennes ...) that share
//   the rules of America/Indiana/Indianapolis, America/New_York or America/Chicago today are
//   named only where a 5-digit ZIP row pins a town to them.
// - Places that keep an unofficial time (Phenix City AL, Jackpot NV, Kenton OK, the Navajo
//   Nation in AZ) list both the official and the observed zone.
#include "time_zone_data.hpp"

namespace arrears::detail {

namespace {
constexpr std::string_view E = "America/New_York";
constexpr std::string_view C = "America/Chicago";
constexpr std::string_view M = "America/Denver";
constexpr std::string_view P = "America/Los_Angeles";
}  // namespace

const std::vector<StateRow>& state_rows() {
    static const std::vector<StateRow> rows{
        {"AL", "Alabama", "America/Chicago America/New_York"},
        {"AK", "Alaska", "America/Anchorage America/Adak"},
        {"AZ", "Arizona", "America/Phoenix America/Denver"},
        {"AR", "Arkansas", C},
        {"CA", "California", P},
        {"CO", "Colorado", M},
        {"CT", "Connecticut", E},
        {"DE", "Delaware", E},
        {"DC", "District of Columbia", E},
        {"FL", "Florida", "America/New_York America/Chicago"},
        {"GA", "Georgia", E},
        {"HI", "Hawaii", "Pacific/Honolulu"},
        {"ID", "Idaho", "America/Boise America/Los_Angeles"},
        {"IL", "Illinois", C},
        {"IN", "Indiana",
         "America/Indiana/Indianapolis America/Chicago America/Indiana/Knox "
         "America/Indiana/Tell_City"},
        {"IA", "Iowa", C},
        {"KS", "Kansas", "America/Chicago America/Denver"},
        {"KY", "Kentucky", "America/New_York America/Chicago"},
        {"LA", "Louisiana", C},
        {"ME", "Maine", E},
        {"MD", "Maryland", E},
        {"MA", "Massachusetts", E},
        {"MI", "Michigan", "America/Detroit America/Menominee"},
        {"MN", "Minnesota", C},
        {"MS", "Mississippi", C},
        {"MO", "Missouri", C},
        {"MT", "Montana", M},
        {"NE", "Nebraska", "America/Chicago America/Denver"},
        {"NV", "Nevada", "America/Los_Angeles America/Denver"},
        {"NH", "New Hampshire", E},
        {"NJ", "New Jersey", E},
        {"NM", "New Mexico", M},
        {"NY", "New York", E},
        {"NC", "North Carolina", E},
        {"ND", "North Dakota",
         "America/Chicago America/Denver America/North_Dakota/Beulah "
         "America/North_Dakota/Center America/North_Dakota/New_Salem"},
        {"OH", "Ohio", E},
        {"OK", "Oklahoma", "America/Chicago America/Denver"},
        {"OR", "Oregon", "America/Los_Angeles America/Boise"},
        {"PA", "Pennsylvania", E},
        {"RI", "Rhode Island", E},
        {"SC", "South Carolina", E},
        {"SD", "South Dakota", "America/Chicago America/Denver"},
        {"TN", "Tennessee", "America/Chicago America/New_York"},
        {"TX", "Texas", "America/Chicago America/Denver"},
        {"UT", "Utah", M},
        {"VT", "Vermont", E},
        {"VA", "Virginia", E},
        {"WA", "Washington", P},
        {"WV", "West Virginia", E},
        {"WI", "Wisconsin", C},
        {"WY", "Wyoming", M},
        {"PR", "Puerto Rico", "America/Puerto_Rico"},
        {"VI", "U.S. Virgin Islands", "America/St_Thomas"},
        {"GU", "Guam", "Pacific/Guam"},
        {"MP", "Northern Mariana Islands", "Pacific/Saipan"},
        {"AS", "American Samoa", "Pacific/Pago_Pago"},
        {"FM", "Federated States of Micronesia", "Pacific/Pohnpei Pacific/Chuuk Pacific/Kosrae"},
        {"MH", "Marshall Islands", "Pacific/Majuro Pacific/Kwajalein"},
        {"PW", "Palau", "Pacific/Palau"},
        // Military mail (APO/FPO/DPO): the location is unknown.
        {"AA", "Armed Forces Americas", ""},
        {"AE", "Armed Forces Europe, Middle East, Africa, Canada", ""},
        {"AP", "Armed Forces Pacific", ""},
    };
    return rows;
}

const std::vector<ZipRow>& zip_rows() {
    static const std::vector<ZipRow> rows{
        // Alabama: Phenix City and the Lee/Chambers county towns by Columbus, GA keep Eastern
        // time unofficially.
        {"AL", "36854", "America/New_York America/Chicago", "Valley (unofficial Eastern)"},
        {"AL", "36863", "America/New_York America/Chicago", "Lanett (unofficial Eastern)"},
        {"AL", "36867", "America/New_York America/Chicago", "Phenix City (unofficial Eastern)"},
        {"AL", "36868", "America/New_York America/Chicago", "Phenix City (unofficial Eastern)"},
        {"AL", "36869", "America/New_York America/Chicago", "Phenix City (unofficial Eastern)"},
        {"AL", "36870", "America/New_York America/Chicago", "Phenix City (unofficial Eastern)"},
        {"AL", "36877", "America/New_York America/Chicago", "Smiths Station (unofficial Eastern)"},
        // Alaska: the western Aleutians.
        {"AK", "99546", "America/Adak", "Adak"},
        {"AK", "99547", "America/Adak", "Atka"},
        // Arizona: the Navajo Nation keeps daylight saving time; the rest of the state does not.
        {"AZ", "865", "America/Denver America/Phoenix", "Chinle / Window Rock area (Navajo Nation)"},
        {"AZ", "86033", "America/Denver America/Phoenix", "Kayenta (Navajo Nation)"},
        {"AZ", "86044", "America/Denver America/Phoenix", "Tonalea (Navajo Nation)"},
        {"AZ", "86045", "America/Denver America/Phoenix", "Tuba City (Navajo Nation)"},
        {"AZ", "86053", "America/Denver America/Phoenix", "Kaibeto (Navajo Nation)"},
        {"AZ", "86054", "America/Denver America/Phoenix", "Shonto (Navajo Nation)"},
        // Florida: the panhandle west of the Apalachicola River is Central.
        {"FL", "324", C, "Panama City, Marianna, DeFuniak Springs"},
        {"FL", "325", C, "Pensacola, Fort Walton Beach"},
        {"FL", "32456", E, "Port St. Joe (Gulf County, Eastern part)"},
        {"FL", "32457", E, "Port St. Joe (Gulf County, Eastern part)"},
        // Idaho: the panhandle and the Lewiston area are Pacific.
        {"ID", "835", P, "Lewiston, Grangeville, Orofino"},
        {"ID", "838", P, "Coeur d'Alene, Moscow, Sandpoint"},
        // Indiana: the Chicago and Evansville corners are Central.
        {"IN", "463", C, "Gary, Hammond, Valparaiso, La Porte"},
        {"IN", "464", C, "Gary"},
        {"IN", "476", C, "Evansville area"},
        {"IN", "477", C, "Evansville"},
        {"IN", "46534", "America/Indiana/Knox", "Knox (Starke County)"},
        {"IN", "47586", "America/Indiana/Tell_City", "Tell City (Perry County)"},
        {"IN", "47520", "America/Indiana/Tell_City", "Cannelton (Perry County)"},
        {"IN", "47951", C, "Kentland (Newton County)"},
        {"IN", "47963", C, "Morocco (Newton County)"},
        {"IN", "47978", C, "Rensselaer (Jasper County)"},
        // Kansas: Sherman, Wallace, Greeley and Hamilton counties are Mountain.
        {"KS", "67733", M, "Edson (Sherman County)"},
        {"KS", "67735", M, "Goodland (Sherman County)"},
        {"KS", "67741", M, "Kanorado (Sherman County)"},
        {"KS", "67758", M, "Sharon Springs (Wallace County)"},
        {"KS", "67761", M, "Wallace (Wallace County)"},
        {"KS", "67762", M, "Weskan (Wallace County)"},
        {"KS", "67836", M, "Coolidge (Hamilton County)"},
        {"KS", "67857", M, "Kendall (Hamilton County)"},
        {"KS", "67878", M, "Syracuse (Hamilton County)"},
        {"KS", "67879", M, "Tribune (Greeley County)"},
        // Kentucky: the west is Central; the prefixes along the line are mixed.
        {"KY", "401", "America/New_York America/Chicago", "mixed: Meade (E), Breckinridge (C)"},
        {"KY", "420", C, "Paducah, Murray, Mayfield"},
        {"KY", "421", C, "Bowling Green, Glasgow"},
        {"KY", "422", C, "Hopkinsville, Russellville"},
        {"KY", "423", C, "Owensboro"},
        {"KY", "424", C, "Henderson, Madisonville"},
        {"KY", "426", "America/New_York America/Chicago", "mixed: Wayne (E), Clinton (C)"},
        {"KY", "427", "America/New_York America/Chicago", "mixed: Hardin (E), Grayson, Adair (C)"},
        {"KY", "42633", "America/Kentucky/Monticello", "Monticello (Wayne County)"},
        // Michigan: the four Upper Peninsula counties on the Wisconsin border are Central.
        {"MI", "498", "America/Detroit America/Menominee", "mixed Upper Peninsula prefix"},
        {"MI", "499", "America/Detroit America/Menominee", "mixed Upper Peninsula prefix"},
        {"MI", "49801", "America/Menominee", "Iron Mountain (Dickinson County)"},
        {"MI", "49802", "America/Menominee", "Kingsford (Dickinson County)"},
        {"MI", "49847", "America/Menominee", "Hermansville (Menominee County)"},
        {"MI", "49858", "America/Menominee", "Menominee"},
        {"MI", "49870", "America/Menominee", "Norway (Dickinson County)"},
        {"MI", "49892", "America/Menominee", "Vulcan (Dickinson County)"},
        {"MI", "49911", "America/Menominee", "Bessemer (Gogebic County)"},
        {"MI", "49915", "America/Menominee", "Caspian (Iron County)"},
        {"MI", "49920", "America/Menominee", "Crystal Falls (Iron County)"},
        {"MI", "49935", "America/Menominee", "Iron River (Iron County)"},
        {"MI", "49938", "America/Menominee", "Ironwood (Gogebic County)"},
        {"MI", "49947", "America/Menominee", "Marenisco (Gogebic County)"},
        {"MI", "49968", "America/Menominee", "Wakefield (Gogebic County)"},
        {"MI", "49969", "America/Menominee", "Watersmeet (Gogebic County)"},
        {"MI", "49855", "America/Detroit", "Marquette"},
        // Nebraska: the panhandle and the southwest are Mountain.
        {"NE", "691", "America/Chicago America/Denver", "mixed: North Platte (C), Ogallala (M)"},
        {"NE", "692", "America/Chicago America/Denver", "mixed: Valentine (C), west Cherry (M)"},
        {"NE", "693", M, "Alliance, Scottsbluff, Chadron"},
        {"NE", "69021", M, "Benkelman (Dundy County)"},
        {"NE", "69033", M, "Imperial (Chase County)"},
        {"NE", "69101", C, "North Platte"},
        {"NE", "69129", M, "Chappell (Deuel County)"},
        {"NE", "69140", M, "Grant (Perkins County)"},
        {"NE", "69145", M, "Kimball"},
        {"NE", "69153", M, "Ogallala (Keith County)"},
        {"NE", "69162", M, "Sidney (Cheyenne County)"},
        // Nevada: West Wendover is Mountain; Jackpot keeps Mountain time unofficially.
        {"NV", "89883", M, "West Wendover"},
        {"NV", "89825", "America/Denver America/Los_Angeles", "Jackpot (unofficial Mountain)"},
        // North Dakota: the southwest is Mountain; three counties moved to Central.
        {"ND", "585", "America/Chicago America/Denver", "mixed: Bismarck (C), Sioux, Grant (M)"},
        {"ND", "586", M, "Dickinson, Beach, Bowman, Hettinger"},
        {"ND", "588", "America/Chicago America/Denver", "mixed: Williston (C), McKenzie (M/C)"},
        {"ND", "58501", C, "Bismarck"},
        {"ND", "58503", C, "Bismarck"},
        {"ND", "58504", C, "Bismarck"},
        {"ND", "58554", C, "Mandan"},
        {"ND", "58801", C, "Williston"},
        {"ND", "58523", "America/North_Dakota/Beulah", "Beulah (Mercer County)"},
        {"ND", "58530", "America/North_Dakota/Center", "Center (Oliver County)"},
        {"ND", "58563", "America/North_Dakota/New_Salem", "New Salem (Morton County)"},
        // Oklahoma: Kenton keeps Mountain time unofficially.
        {"OK", "73946", "America/Denver America/Chicago", "Kenton (unofficial Mountain)"},
        // Oregon: most of Malheur County is Mountain.
        {"OR", "979", "America/Boise", "Ontario, Nyssa, Vale (Malheur County)"},
        // South Dakota: west river is Mountain.
        {"SD", "575", "America/Chicago America/Denver", "mixed: Pierre (C), Philip, Kadoka (M)"},
        {"SD", "576", "America/Chicago America/Denver", "mixed: Mobridge (C), Lemmon (M)"},
        {"SD", "577", M, "Rapid City, Spearfish, Sturgis"},
        {"SD", "57501", C, "Pierre"},
        {"SD", "57601", C, "Mobridge"},
        // Tennessee: East Tennessee is Eastern.
        {"TN", "373", "America/New_York America/Chicago", "mixed: Cleveland (E), Jasper (C)"},
        {"TN", "374", E, "Chattanooga"},
        {"TN", "376", E, "Johnson City, Kingsport, Bristol"},
        {"TN", "377", E, "Knoxville area"},
        {"TN", "378", E, "Knoxville area"},
        {"TN", "379", E, "Knoxville"},
        {"TN", "37311", E, "Cleveland (Bradley County)"},
        {"TN", "37312", E, "Cleveland (Bradley County)"},
        {"TN", "37321", E, "Dayton (Rhea County)"},
        {"TN", "37327", C, "Dunlap (Sequatchie County)"},
        {"TN", "37347", C, "Jasper (Marion County)"},
        {"TN", "37367", C, "Pikeville (Bledsoe County)"},
        {"TN", "37388", C, "Tullahoma (Coffee County)"},
        {"TN", "37398", C, "Winchester (Franklin County)"},
        // Texas: El Paso and Hudspeth counties are Mountain.
        {"TX", "798", "America/Denver America/Chicago", "mixed: El Paso area (M), Big Bend (C)"},
        {"TX", "799", M, "El Paso"},
        {"TX", "885", M, "El Paso (PO boxes)"},
        {"TX", "79821", M, "Anthony (El Paso County)"},
        {"TX", "79835", M, "Canutillo (El Paso County)"},
        {"TX", "79836", M, "Clint (El Paso County)"},
        {"TX", "79838", M, "Fabens (El Paso County)"},
        {"TX", "79839", M, "Fort Hancock (Hudspeth County)"},
        {"TX", "79849", M, "San Elizario (El Paso County)"},
        {"TX", "79851", M, "Sierra Blanca (Hudspeth County)"},
        {"TX", "79853", M, "Tornillo (El Paso County)"},
        {"TX", "79830", C, "Alpine (Brewster County)"},
        {"TX", "79843", C, "Marfa (Presidio County)"},
        {"TX", "79845", C, "Presidio"},
        {"TX", "79855", C, "Van Horn (Culberson County)"},
    };
    return rows;
}

const std::vector<AreaCodeRow>& area_code_rows() {
    static const std::vector<AreaCodeRow> rows{
        {"205", "AL", C}, {"251", "AL", C}, {"256", "AL", C}, {"334", "AL", C},
        {"659", "AL", C}, {"938", "AL", C},
        {"907", "AK", "America/Anchorage America/Adak"},
        {"480", "AZ", "America/Phoenix"}, {"520", "AZ", "America/Phoenix"},
        {"602", "AZ", "America/Phoenix"}, {"623", "AZ", "America/Phoenix"},
        {"928", "AZ", "America/Phoenix America/Denver"},  // includes the Navajo Nation
        {"327", "AR", C}, {"479", "AR", C}, {"501", "AR", C}, {"870", "AR", C},
        {"209", "CA", P}, {"213", "CA", P}, {"279", "CA", P}, {"310", "CA", P},
        {"323", "CA", P}, {"341", "CA", P}, {"350", "CA", P}, {"408", "CA", P},
        {"415", "CA", P}, {"424", "CA", P}, {"442", "CA", P}, {"510", "CA", P},
        {"530", "CA", P}, {"559", "CA", P}, {"562", "CA", P}, {"619", "CA", P},
        {"626", "CA", P}, {"628", "CA", P}, {"650", "CA", P}, {"657", "CA", P},
        {"661", "CA", P}, {"669", "CA", P}, {"707", "CA", P}, {"714", "CA", P},
        {"747", "CA", P}, {"760", "CA", P}, {"805", "CA", P}, {"818", "CA", P},
        {"820", "CA", P}, {"831", "CA", P}, {"840", "CA", P}, {"858", "CA", P},
        {"909", "CA", P}, {"916", "CA", P}, {"925", "CA", P}, {"949", "CA", P},
        {"951", "CA", P},
        {"303", "CO", M}, {"719", "CO", M}, {"720", "CO", M}, {"970", "CO", M},
        {"983", "CO", M},
        {"203", "CT", E}, {"475", "CT", E}, {"860", "CT", E}, {"959", "CT", E},
        {"302", "DE", E},
        {"202", "DC", E}, {"771", "DC", E},
        {"239", "FL", E}, {"305", "FL", E}, {"321", "FL", E}, {"352", "FL", E},
        {"386", "FL", E}, {"407", "FL", E}, {"561", "FL", E}, {"645", "FL", E},
        {"656", "FL", E}, {"689", "FL", E}, {"727", "FL", E}, {"754", "FL", E},
        {"772", "FL", E}, {"786", "FL", E}, {"813", "FL", E}, {"863", "FL", E},
        {"904", "FL", E}, {"941", "FL", E}, {"954", "FL", E},
        {"448", "FL", "America/New_York America/Chicago"},  // panhandle overlay of 850
        {"850", "FL", "America/New_York America/Chicago"},  // Tallahassee (E), Pensacola (C)
        {"229", "GA", E}, {"404", "GA", E}, {"470", "GA", E}, {"478", "GA", E},
        {"678", "GA", E}, {"706", "GA", E}, {"762", "GA", E}, {"770", "GA", E},
        {"912", "GA", E}, {"943", "GA", E},
        {"808", "HI", "Pacific/Honolulu"},
        {"208", "ID", "America/Boise America/Los_Angeles"},
        {"986", "ID", "America/Boise America/Los_Angeles"},
        {"217", "IL", C}, {"224", "IL", C}, {"309", "IL", C}, {"312", "IL", C},
        {"331", "IL", C}, {"447", "IL", C}, {"464", "IL", C}, {"618", "IL", C},
        {"630", "IL", C}, {"708", "IL", C}, {"730", "IL", C}, {"773", "IL", C},
        {"779", "IL", C}, {"815", "IL", C}, {"847", "IL", C}, {"872", "IL", C},
        {"219", "IN", C},  // northwest Indiana
        {"260", "IN", "America/Indiana/Indianapolis"},
        {"317", "IN", "America/Indiana/Indianapolis"},
        {"463", "IN", "America/Indiana/Indianapolis"},
        {"574", "IN", "America/Indiana/Indianapolis America/Chicago"},  // includes Starke County
        {"765", "IN", "America/Indiana/Indianapolis"},
        {"812", "IN", "America/Indiana/Indianapolis America/Chicago"},  // Evansville (C)
        {"930", "IN", "America/Indiana/Indianapolis America/Chicago"},  // overlay of 812
        {"319", "IA", C}, {"515", "IA", C}, {"563", "IA", C}, {"641", "IA", C},
        {"712", "IA", C},
        {"316", "KS", C}, {"913", "KS", C},
        {"620", "KS", "America/Chicago America/Denver"},  // southwest Kansas
        {"785", "KS", "America/Chicago America/Denver"},  // northwest Kansas
        {"270", "KY", "America/Chicago America/New_York"},
        {"364", "KY", "America/Chicago America/New_York"},  // overlay of 270
        {"502", "KY", E}, {"859", "KY", E},
        {"606", "KY", "America/New_York America/Chicago"},  // includes Clinton County (C)
        {"225", "LA", C}, {"318", "LA", C}, {"337", "LA", C}, {"504", "LA", C},
        {"985", "LA", C},
        {"207", "ME", E},
        {"227", "MD", E}, {"240", "MD", E}, {"301", "MD", E}, {"410", "MD", E},
        {"443", "MD", E}, {"667", "MD", E},
        {"339", "MA", E}, {"351", "MA", E}, {"413", "MA", E}, {"508", "MA", E},
        {"617", "MA", E}, {"774", "MA", E}, {"781", "MA", E}, {"857", "MA", E},
        {"978", "MA", E},
        {"231", "MI", "America/Detroit"}, {"248", "MI", "America/Detroit"},
        {"269", "MI", "America/Detroit"}, {"313", "MI", "America/Detroit"},
        {"517", "MI", "America/Detroit"}, {"586", "MI", "America/Detroit"},
        {"616", "MI", "America/Detroit"}, {"679", "MI", "America/Detroit"},
        {"734", "MI", "America/Detroit"}, {"810", "MI", "America/Detroit"},
        {"947", "MI", "America/Detroit"}, {"989", "MI", "America/Detroit"},
        {"906", "MI", "America/Detroit America/Menominee"},  // Upper Peninsula
        {"218", "MN", C}, {"320", "MN", C}, {"507", "MN", C}, {"612", "MN", C},
        {"651", "MN", C}, {"763", "MN", C}, {"952", "MN", C},
        {"228", "MS", C}, {"601", "MS", C}, {"662", "MS", C}, {"769", "MS", C},
        {"314", "MO", C}, {"417", "MO", C}, {"557", "MO", C}, {"573", "MO", C},
        {"636", "MO", C}, {"660", "MO", C}, {"816", "MO", C}, {"975", "MO", C},
        {"406", "MT", M},
        {"308", "NE", "America/Chicago America/Denver"},  // central and western Nebraska
        {"402", "NE", C}, {"531", "NE", C},
        {"702", "NV", P}, {"725", "NV", P},
        {"775", "NV", "America/Los_Angeles America/Denver"},  // includes West Wendover
        {"603", "NH", E},
        {"201", "NJ", E}, {"551", "NJ", E}, {"609", "NJ", E}, {"640", "NJ", E},
        {"732", "NJ", E}, {"848", "NJ", E}, {"856", "NJ", E}, {"862", "NJ", E},
        {"908", "NJ", E}, {"973", "NJ", E},
        {"505", "NM", M}, {"575", "NM", M},
        {"212", "NY", E}, {"315", "NY", E}, {"332", "NY", E}, {"347", "NY", E},
        {"363", "NY", E}, {"516", "NY", E}, {"518", "NY", E}, {"585", "NY", E},
        {"607", "NY", E}, {"631", "NY", E}, {"646", "NY", E}, {"680", "NY", E},
        {"716", "NY", E}, {"718", "NY", E}, {"838", "NY", E}, {"845", "NY", E},
        {"914", "NY", E}, {"917", "NY", E}, {"929", "NY", E}, {"934", "NY", E},
        {"252", "NC", E}, {"336", "NC", E}, {"472", "NC", E}, {"704", "NC", E},
        {"743", "NC", E}, {"828", "NC", E}, {"910", "NC", E}, {"919", "NC", E},
        {"980", "NC", E}, {"984", "NC", E},
        {"701", "ND", "America/Chicago America/Denver"},
        {"216", "OH", E}, {"220", "OH", E}, {"234", "OH", E}, {"326", "OH", E},
        {"330", "OH", E}, {"380", "OH", E}, {"419", "OH", E}, {"436", "OH", E},
        {"440", "OH", E}, {"513", "OH", E}, {"567", "OH", E}, {"614", "OH", E},
        {"740", "OH", E}, {"937", "OH", E},
        {"405", "OK", C}, {"539", "OK", C}, {"572", "OK", C}, {"918", "OK", C},
        {"580", "OK", "America/Chicago America/Denver"},  // includes Kenton
        {"503", "OR", P}, {"971", "OR", P},
        {"458", "OR", "America/Los_Angeles America/Boise"},  // overlay of 541
        {"541", "OR", "America/Los_Angeles America/Boise"},  // includes Malheur County
        {"215", "PA", E}, {"223", "PA", E}, {"267", "PA", E}, {"272", "PA", E},
        {"412", "PA", E}, {"445", "PA", E}, {"484", "PA", E}, {"570", "PA", E},
        {"582", "PA", E}, {"610", "PA", E}, {"717", "PA", E}, {"724", "PA", E},
        {"814", "PA", E}, {"835", "PA", E}, {"878", "PA", E},
        {"401", "RI", E},
        {"803", "SC", E}, {"839", "SC", E}, {"843", "SC", E}, {"854", "SC", E},
        {"864", "SC", E},
        {"605", "SD", "America/Chicago America/Denver"},
        {"423", "TN", "America/New_York America/Chicago"},  // Chattanooga (E), Sequatchie (C)
        {"615", "TN", C}, {"629", "TN", C}, {"731", "TN", C}, {"865", "TN", E},
        {"901", "TN", C}, {"931", "TN", C},
        {"210", "TX", C}, {"214", "TX", C}, {"254", "TX", C}, {"281", "TX", C},
        {"325", "TX", C}, {"346", "TX", C}, {"361", "TX", C}, {"409", "TX", C},
        {"430", "TX", C}, {"432", "TX", C}, {"469", "TX", C}, {"512", "TX", C},
        {"682", "TX", C}, {"713", "TX", C}, {"726", "TX", C}, {"737", "TX", C},
        {"806", "TX", C}, {"817", "TX", C}, {"830", "TX", C}, {"832", "TX", C},
        {"903", "TX", C}, {"936", "TX", C}, {"940", "TX", C}, {"945", "TX", C},
        {"956", "TX", C}, {"972", "TX", C}, {"979", "TX", C},
        {"915", "TX", M},  // El Paso, Hudspeth
        {"385", "UT", M}, {"435", "UT", M}, {"801", "UT", M},
        {"802", "VT", E},
        {"276", "VA", E}, {"434", "VA", E}, {"540", "VA", E}, {"571", "VA", E},
        {"703", "VA", E}, {"757", "VA", E}, {"804", "VA", E}, {"826", "VA", E},
        {"948", "VA", E},
        {"206", "WA", P}, {"253", "WA", P}, {"360", "WA", P}, {"425", "WA", P},
        {"509", "WA", P}, {"564", "WA", P},
        {"304", "WV", E}, {"681", "WV", E},
        {"262", "WI", C}, {"274", "WI", C}, {"414", "WI", C}, {"534", "WI", C},
        {"608", "WI", C}, {"715", "WI", C}, {"920", "WI", C},
        {"307", "WY", M},
        {"787", "PR", "America/Puerto_Rico"}, {"939", "PR", "America/Puerto_Rico"},
        {"340", "VI", "America/St_Thomas"},
        {"671", "GU", "Pacific/Guam"},
        {"670", "MP", "Pacific/Saipan"},
        {"684", "AS", "Pacific/Pago_Pago"},
    };
    return rows;
}

}  // namespace arrears::detail
