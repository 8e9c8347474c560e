"""One translation table for the report (nb and en) and number formatting.

Every label, heading, status word and sentence of the report comes from
``TEXTS`` through :func:`t`; numbers go through :func:`fmt_num` so that the
Norwegian report reads ``12 345,6`` and the English one ``12,345.6``.
"""

from __future__ import annotations

from datetime import datetime

from klimaregnskap.display import (NB_GROUP, auto_decimals, energy_unit, fmt_num,  # noqa: F401
                                   fmt_pct, is_missing)
from klimaregnskap.vocabulary import indicators, reporting_categories, status_names
from klimaregnskap.warning import year_ranges

LANGUAGES = ("nb", "en")

# numbers are formatted by klimaregnskap.display, shared with the terminal
# (NB_GROUP: a no-break space, which every font we render with has)

TEXTS: dict[str, dict[str, str]] = {
    # headings
    "title": {"nb": "Klimaregnskap {year}", "en": "Climate accounts {year}"},
    "subtitle": {"nb": "{organisation}, basisår {baseline_year}",
                 "en": "{organisation}, baseline year {baseline_year}"},
    "generated": {"nb": "Laget {date}", "en": "Generated {date}"},
    "sec_status": {"nb": "Status for målene", "en": "Status of the goals"},
    "sec_goals": {"nb": "Målene i detalj", "en": "The goals in detail"},
    "sec_emissions": {"nb": "Utslipp", "en": "Emissions"},
    "sec_purchases": {"nb": "Innkjøp", "en": "Purchases"},
    "purchases_intro": {
        "nb": "I {year} kjøpte foretaket varer og tjenester for {spend} kr. Det ga {emissions} t "
              "CO2e, {share} av hele fotavtrykket (scope 1, 2 og 3, strøm {method}). Utslippene er "
              "beregnet med utgiftsbaserte faktorer (US EPA, kg CO2e per USD i 2022-priser), "
              "justert for prisvekst (KPI) og valutakurs; de er et anslag til norske faktorer "
              "finnes.",
        "en": "In {year} the trust bought goods and services for NOK {spend}. That gave {emissions} "
              "t CO2e, {share} of the whole footprint (scopes 1, 2 and 3, electricity {method}). "
              "The emissions come from spend-based factors (US EPA, kg CO2e per 2022 USD), "
              "adjusted for prices (CPI) and the exchange rate; they are an estimate until "
              "Norwegian factors exist."},
    "purchases_top": {"nb": "Innkjøpskategoriene med mest utslipp:",
                      "en": "The spend categories with the most emissions:"},
    "purchases_excluded_intro": {
        "nb": "Holdt utenfor i {year} ({excluded} kr), med begrunnelse:",
        "en": "Left out in {year} (NOK {excluded}), with the reasons:"},
    "purchases_none": {"nb": "Ingen innkjøpsdata (hovedbok) for {year}: fotavtrykket mangler "
                               "scope 3 fra innkjøp.",
                       "en": "No purchases data (general ledger) for {year}: the footprint lacks "
                             "scope 3 from purchases."},
    "col_spend": {"nb": "Innkjøp", "en": "Spend"},
    "col_account": {"nb": "Konto", "en": "Account"},
    "col_share": {"nb": "Andel av innkjøpene", "en": "Share of purchases"},
    "col_spend_gross": {"nb": "Kostnad", "en": "Gross spend"},
    "col_credits": {"nb": "Kreditnotaer", "en": "Credits"},
    "sec_energy": {"nb": "Energi", "en": "Energy"},
    "sec_sites": {"nb": "Per lokasjon", "en": "By site"},
    "sec_food_waste": {"nb": "Matsvinn", "en": "Food waste"},
    "sec_products": {"nb": "Produkter som ikke er fri for helse- og miljøskadelige stoffer",
                     "en": "Products not free of harmful substances"},
    "sec_data_quality": {"nb": "Datakvalitet", "en": "Data quality"},
    "sec_warnings": {"nb": "Varsler", "en": "Warnings"},
    "sec_method": {"nb": "Metode", "en": "Method"},
    "sec_baseline_adjustments": {"nb": "Justering av basisåret", "en": "Baseline adjustments"},
    "sec_factors": {"nb": "Utslippsfaktorer som er brukt", "en": "Emission factors used"},
    "sec_imports": {"nb": "Importerte filer", "en": "Imported files"},
    "toc": {"nb": "Innhold", "en": "Contents"},
    "subj_emissions": {"nb": "Utslippene", "en": "The emissions total"},
    "subj_climate_neutral": {"nb": "Utslippene som teller mot netto null",
                             "en": "The emissions total counted towards net zero"},
    "subj_energy": {"nb": "Energibruken", "en": "Delivered energy"},
    "subj_energy_normalised": {"nb": "Den klimakorrigerte energibruken",
                               "en": "Weather-normalised energy use"},
    "subj_recovered_heat_share": {"nb": "Andelen gjenvunnet energi", "en": "The share of recovered energy"},
    "subj_recovered_power_share": {"nb": "Andelen gjenvinningskraft", "en": "The share of gjenvinningskraft"},
    "subj_food_waste": {"nb": "Matsvinnet", "en": "Food waste"},
    "subj_footprint": {"nb": "Klimafotavtrykket (scope 1, 2 og 3)",
                       "en": "The carbon footprint (scope 1, 2 and 3)"},
    "s_incomplete_no_target": {
        "nb": "Tallet bygger på ufullstendige data (se Ufullstendige data under statustabellen).",
        "en": "The figure rests on incomplete data (see Incomplete data below the status table)."},
    "s_no_target": {"nb": "Det er ikke satt noe mål for fotavtrykket ([targets.footprint] i "
                          "klimaregnskap.toml).",
                    "en": "No target is set for the footprint ([targets.footprint] in "
                          "klimaregnskap.toml)."},
    "subj_chemical_free_share": {"nb": "Andelen produkter fri for helse- og miljøskadelige stoffer",
                                 "en": "The share of products free of harmful substances"},
    # status
    "status_title_achieved": {"nb": "Målet er nådd", "en": "Target achieved"},
    "s_incomplete": {"nb": "Tallene bygger på ufullstendige data, så det kan ikke sies om målet "
                           "er nådd eller i rute (se Ufullstendige data under statustabellen).",
                     "en": "The figures rest on incomplete data, so whether the target is achieved "
                           "or on track cannot be judged (see Incomplete data below the status "
                           "table)."},
    "incomplete_note": {"nb": "{indicators}: {reason}", "en": "{indicators}: {reason}"},
    "all_complete": {"nb": "Alle tallene for {year} og basisåret {baseline_year} bygger på "
                           "komplette data: hver hovedmåler dekker minst terskelen for "
                           "fullstendighet, og matsvinn og produkter er registrert.",
                     "en": "Every figure for {year} and the baseline year {baseline_year} rests "
                           "on complete data: every main meter meets the completeness threshold, "
                           "and food waste and products are registered."},
    "sec_incomplete": {"nb": "Ufullstendige data", "en": "Incomplete data"},
    "incomplete_intro": {"nb": "Disse tallene kan ikke vurderes mot målet før dataene er "
                               "komplette:",
                         "en": "These figures cannot be judged against their targets until the "
                               "data is complete:"},
    "dq_incomplete_mark": {"nb": "ufullstendig", "en": "incomplete"},
    "col_complete": {"nb": "Fullstendig", "en": "Complete"},
    "status_title_on_track": {"nb": "På kurs mot {target_year}-målet",
                              "en": "On track for the {target_year} target"},
    "status_title_off_track": {"nb": "Ikke i rute mot {target_year}-målet",
                               "en": "Off track for the {target_year} target"},
    "status_title_no_data": {"nb": "Ingen data for {year}", "en": "No data for {year}"},
    # table columns
    "col_indicator": {"nb": "Indikator", "en": "Indicator"},
    "col_value": {"nb": "Verdi", "en": "Value"},
    "col_value_year": {"nb": "Verdi {year}", "en": "Value {year}"},
    "col_baseline": {"nb": "Basisår", "en": "Baseline"},
    "col_baseline_year": {"nb": "Basisår {year}", "en": "Baseline {year}"},
    "col_baseline_unadjusted": {"nb": "Basisår før justering", "en": "Baseline before adjustment"},
    "col_change": {"nb": "Endring", "en": "Change"},
    "col_change_pct": {"nb": "Endring fra basisår", "en": "Change from baseline"},
    "col_change_points": {"nb": "Endring (prosentpoeng)", "en": "Change (percentage points)"},
    "col_target": {"nb": "Mål", "en": "Target"},
    "col_target_year": {"nb": "Målår", "en": "Target year"},
    "col_path": {"nb": "Målsti i år", "en": "Path this year"},
    "col_projection": {"nb": "Trend i målåret", "en": "Trend in target year"},
    "col_status": {"nb": "Status", "en": "Status"},
    "col_required_change": {"nb": "Nødvendig årlig endring", "en": "Required yearly change"},
    "col_required_change_abs": {"nb": "Nødvendig årlig endring (mengde)",
                                "en": "Required yearly change (amount)"},
    "col_unit": {"nb": "Enhet", "en": "Unit"},
    "col_spend_weighted_value": {"nb": "Innkjøpsvektet andel", "en": "Spend-weighted share"},
    "col_spend_weighted_baseline": {"nb": "Innkjøpsvektet andel i basisåret",
                                    "en": "Spend-weighted share in baseline year"},
    "col_site": {"nb": "Lokasjon", "en": "Site"},
    "col_site_id": {"nb": "Lokasjons-id", "en": "Site id"},
    "col_year": {"nb": "År", "en": "Year"},
    "col_scope": {"nb": "Scope", "en": "Scope"},
    "col_method": {"nb": "Metode", "en": "Method"},
    "col_category": {"nb": "Kategori", "en": "Category"},
    "col_carrier": {"nb": "Energibærer", "en": "Carrier"},
    "col_energy": {"nb": "Energi", "en": "Energy"},
    "col_energy_normalised": {"nb": "Klimakorrigert energi", "en": "Weather-normalised energy"},
    "col_emissions": {"nb": "Utslipp", "en": "Emissions"},
    "col_area": {"nb": "Areal", "en": "Area"},
    "col_energy_per_m2": {"nb": "Energi per m²", "en": "Energy per m²"},
    "col_patient_days": {"nb": "Liggedøgn", "en": "Patient days"},
    "col_emissions_per_patient_day": {"nb": "Utslipp per liggedøgn", "en": "Emissions per patient day"},
    "col_food_waste": {"nb": "Matsvinn", "en": "Food waste"},
    "col_food_waste_per_patient_day": {"nb": "Matsvinn per liggedøgn", "en": "Food waste per patient day"},
    "col_recovered": {"nb": "Gjenvunnet", "en": "Recovered"},
    "col_recovered_energy": {"nb": "Gjenvunnet energi", "en": "Recovered energy"},
    "col_meter": {"nb": "Målepunkt", "en": "Meter"},
    "col_role": {"nb": "Rolle", "en": "Role"},
    "col_coverage": {"nb": "Dekning", "en": "Coverage"},
    "col_estimated": {"nb": "Estimert", "en": "Estimated"},
    "col_longest_gap": {"nb": "Lengste hull", "en": "Longest gap"},
    "col_gaps": {"nb": "Hull", "en": "Gaps"},
    "col_code": {"nb": "Kode", "en": "Code"},
    "col_message": {"nb": "Melding", "en": "Message"},
    "col_file": {"nb": "Fil", "en": "File"},
    "col_sha256": {"nb": "SHA-256", "en": "SHA-256"},
    "col_kind": {"nb": "Type", "en": "Kind"},
    "col_rows": {"nb": "Rader", "en": "Rows"},
    "col_row": {"nb": "Rad", "en": "Row"},
    "col_loaded_at": {"nb": "Lastet inn", "en": "Loaded at"},
    "col_product": {"nb": "Varenummer", "en": "Product id"},
    "col_description": {"nb": "Beskrivelse", "en": "Description"},
    "col_reason": {"nb": "Begrunnelse", "en": "Reason"},
    "col_activity": {"nb": "Aktivitet", "en": "Activity"},
    "col_year_asked": {"nb": "År (regnskap)", "en": "Year (accounts)"},
    "col_factor_year": {"nb": "Faktorår", "en": "Factor year"},
    "col_factor": {"nb": "Faktor", "en": "Factor"},
    "col_factor_unit": {"nb": "Faktorenhet", "en": "Factor unit"},
    "col_fallback": {"nb": "Tidligere år brukt", "en": "Earlier year used"},
    "col_source": {"nb": "Kilde", "en": "Source"},
    "col_data_source": {"nb": "Datakilde", "en": "Data source"},
    "col_amount": {"nb": "Mengde", "en": "Amount"},
    "col_quantity": {"nb": "Mengde", "en": "Quantity"},
    "col_quantity_unit": {"nb": "Enhet (mengde)", "en": "Unit (quantity)"},
    "col_item": {"nb": "Aktivitet eller måler", "en": "Activity or meter"},
    "col_effective_year": {"nb": "Gjelder fra", "en": "Effective from"},
    "yes": {"nb": "ja", "en": "yes"},
    "no": {"nb": "nei", "en": "no"},
    # sentences
    "s_value_lower": {"nb": "{subject} var {value} i {year}, {pct} lavere enn i {baseline_year} ({baseline}).",
                      "en": "{subject} was {value} in {year}, {pct} lower than in {baseline_year} ({baseline})."},
    "s_value_higher": {"nb": "{subject} var {value} i {year}, {pct} høyere enn i {baseline_year} ({baseline}).",
                       "en": "{subject} was {value} in {year}, {pct} higher than in {baseline_year} ({baseline})."},
    "s_value_same": {"nb": "{subject} var {value} i {year}, det samme som i {baseline_year}.",
                     "en": "{subject} was {value} in {year}, the same as in {baseline_year}."},
    "s_value_only": {"nb": "{subject} var {value} i {year}.", "en": "{subject} was {value} in {year}."},
    "s_share_up": {"nb": "{subject} var {value} i {year}, {points} prosentpoeng høyere enn i {baseline_year} ({baseline}).",
                   "en": "{subject} was {value} in {year}, {points} percentage points higher than in {baseline_year} ({baseline})."},
    "s_share_down": {"nb": "{subject} var {value} i {year}, {points} prosentpoeng lavere enn i {baseline_year} ({baseline}).",
                     "en": "{subject} was {value} in {year}, {points} percentage points lower than in {baseline_year} ({baseline})."},
    "s_target_reduction": {"nb": "Målet for {target_year} er {pct} reduksjon fra {baseline_year}, det vil si {target}.",
                           "en": "The {target_year} target is a {pct} reduction from {baseline_year}, that is {target}."},
    "s_target_level": {"nb": "Målet for {target_year} er {target}.", "en": "The {target_year} target is {target}."},
    "s_target_net_zero": {"nb": "Målet er netto null utslipp innen {target_year}.",
                          "en": "The target is net zero emissions by {target_year}."},
    "s_path": {"nb": "Målstien tilsier {path} i {year}.", "en": "The target path calls for {path} in {year}."},
    "s_projection": {"nb": "Med dagens trend blir verdien {projection} i {target_year}.",
                     "en": "On the current trend the value will be {projection} in {target_year}."},
    "s_required_reduction_pct": {"nb": "Det krever en årlig reduksjon på {pct}.",
                                 "en": "That requires a yearly reduction of {pct}."},
    "s_required_increase_pct": {"nb": "Det krever en årlig økning på {pct}.",
                                "en": "That requires a yearly increase of {pct}."},
    "s_required_reduction_abs": {"nb": "Det krever en årlig reduksjon på {amount}.",
                                 "en": "That requires a yearly reduction of {amount}."},
    "s_baseline_adjusted": {"nb": "Basisåret er justert for strukturendringer (før justering: {unadjusted}).",
                            "en": "The baseline is adjusted for structural changes (before adjustment: {unadjusted})."},
    "s_no_data": {"nb": "Det finnes ingen data for {indicator} i {year}, derfor vises ingen figur.",
                  "en": "There are no data for {indicator} in {year}, so no chart is shown."},
    "s_spend_weighted": {"nb": "Vektet etter innkjøpsbeløp er andelen {value} (basisåret: {baseline}).",
                         "en": "Weighted by spend the share is {value} (baseline year: {baseline})."},
    "s_recovered_direction": {"nb": "Målet er en økende andel gjenvunnet energi.",
                              "en": "The goal is a growing share of recovered energy."},
    "s_recovered_energy": {"nb": "Gjenvunnet energi i {year}: {value}.", "en": "Recovered energy in {year}: {value}."},
    "s_recovered_power_direction": {
        "nb": "Målet er en økende andel gjenvinningskraft (kraft fra spillvarme) i strømmen som brukes.",
        "en": "The goal is a growing share of gjenvinningskraft (power from waste heat) in the electricity used."},
    "s_recovered_power_counted": {
        "nb": "Gjenvinningskraft regnet med i {year}: {value} (opprinnelsesgarantier, høyst strømforbruket).",
        "en": "Gjenvinningskraft counted in {year}: {value} (guarantees of origin, at most the electricity used)."},
    # the first screen: electricity gross and net of certificates (DESIGN §4)
    "s_electricity_net": {
        "nb": "Strøm {year} ({method}): {gross} brutto, {net} netto etter {deduction} fratrukket for opprinnelsesgarantier; gjenvinningskraft utgjør {share} av strømmen.",
        "en": "Electricity {year} ({method}): {gross} gross, {net} net after {deduction} deducted for guarantees of origin; gjenvinningskraft is {share} of the electricity."},
    "s_electricity_location": {
        "nb": "Strøm {year}: {gross} stedsbasert (opprinnelsesgarantier trekkes ikke fra stedsbasert; markedsbasert netto: {net}); gjenvinningskraft utgjør {share} av strømmen.",
        "en": "Electricity {year}: {gross} location-based (certificates are not deducted location-based; market-based net: {net}); gjenvinningskraft is {share} of the electricity."},
    "m_certificates": {
        "nb": "Opprinnelsesgarantier trekkes fra strømmens utslipp for hver metode unntatt stedsbasert: (E − C) × metodens faktor + C × sertifikatets faktor per lokasjon og år. Felles garantier for hele foretaket fordeles etter lokasjonenes strømforbruk; garantier ut over en lokasjons strømforbruk er overskudd og regnes ikke med.",
        "en": "Energy certificates (guarantees of origin) are deducted from electricity's emissions for every method except location-based: (E − C) × the method's factor + C × the certificate's factor per site and year. Certificates for the whole trust are shared by the sites' electricity; certificates beyond a site's electricity are excess and not counted."},
    "s_certificates_excess": {
        "nb": "{excess} opprinnelsesgarantier ut over strømforbruket er ikke regnet med.",
        "en": "{excess} of certificates beyond the electricity used are not counted."},
    # charts
    "chart_emissions_by_scope": {"nb": "Utslipp per scope ({method})", "en": "Emissions by scope ({method})"},
    "chart_emissions_by_category": {"nb": "Utslipp per kategori i {year}", "en": "Emissions by category in {year}"},
    "chart_emissions_by_sector_category": {
        "nb": "Utslipp per kategori og år, scope 1-3 ({method})",
        "en": "Emissions by category and year, scopes 1-3 ({method})"},
    "chart_energy_by_carrier": {"nb": "Levert og gjenvunnet energi per energibærer",
                                "en": "Delivered and recovered energy by carrier"},
    "chart_energy_subtitle": {"nb": "Gjenvunnet energi er det hvite feltet øverst; tallet over "
                                    "søylen er andelen gjenvunnet energi",
                              "en": "Recovered energy is the white segment on top; the figure "
                                    "above each bar is the share of recovered energy"},
    "legend_recovered": {"nb": "Gjenvunnet energi (ikke levert)",
                         "en": "Recovered energy (not delivered)"},
    "chart_sites": {"nb": "Energi og utslipp per lokasjon i {year}", "en": "Energy and emissions by site in {year}"},
    "axis_year": {"nb": "År", "en": "Year"},
    "axis_with_unit": {"nb": "{label} ({unit})", "en": "{label} ({unit})"},
    "legend_series": {"nb": "Serie", "en": "Series"},
    "legend_actual": {"nb": "Faktisk", "en": "Actual"},
    "legend_path": {"nb": "Målsti", "en": "Target path"},
    "legend_target": {"nb": "Mål", "en": "Target"},
    "legend_projection": {"nb": "Trend", "en": "Trend"},
    "scope_n": {"nb": "Scope {scope}", "en": "Scope {scope}"},
    "annot_recovered": {"nb": "{pct}\ngjenvunnet", "en": "{pct}\nrecovered"},
    "chart_alt": {"nb": "Figur: {title}", "en": "Chart: {title}"},
    # method notes
    "m_target_scopes": {"nb": "Målet for klimagassutslipp omfatter scope {scopes}.",
                        "en": "The greenhouse-gas emissions target covers scope {scopes}."},
    "m_electricity_method": {"nb": "Strøm og fjernvarme er regnet med metoden «{method}» (tilgjengelige metoder: {methods}).",
                             "en": "Electricity and district heating use the method '{method}' (methods available: {methods})."},
    "m_gwp": {"nb": "GWP100-verdier for gasser: {gwp}.", "en": "GWP100 values for gases: {gwp}."},
    "m_factor_library": {"nb": "Faktorbibliotek, SHA-256: {sha}.", "en": "Factor library, SHA-256: {sha}."},
    "m_fallbacks": {"nb": "Der en faktor mangler for året, er nærmeste tidligere år brukt:",
                    "en": "Where a factor is missing for the year, the nearest earlier year is used:"},
    "m_no_fallbacks": {"nb": "Alle faktorer fantes for året de ble brukt for.",
                       "en": "Every factor existed for the year it was used for."},
    "ba_intro": {"nb": "Historikken er omregnet for strukturendringer (GHG-protokollen): justeringen legges til hvert år før året den gjelder fra.",
                 "en": "History is restated for structural changes (GHG Protocol): each adjustment is added to every year before the year it takes effect."},
    "ba_original": {"nb": "Opprinnelig basisår", "en": "Original baseline"},
    "ba_adjusted": {"nb": "Justert basisår", "en": "Adjusted baseline"},
    "ba_none": {"nb": "Basisåret er ikke justert.", "en": "The baseline has not been adjusted."},
    "dq_intro": {"nb": "Målere med dekning under 100 % eller estimerte avlesninger:",
                 "en": "Meters with coverage below 100 % or estimated readings:"},
    "dq_all_ok": {"nb": "Alle målere har full dekning og ingen estimerte avlesninger.",
                  "en": "Every meter has full coverage and no estimated readings."},
    "no_warnings": {"nb": "Ingen varsler.", "en": "No warnings."},
    "products_none": {"nb": "Ingen produkter med listede stoffer i {year}.",
                      "en": "No products with listed substances in {year}."},
    "none": {"nb": "Ingen.", "en": "None."},
    "hours": {"nb": "timer", "en": "hours"},
    # labels for known codes
    "carrier_electricity": {"nb": "Strøm", "en": "Electricity"},
    "carrier_district_heating": {"nb": "Fjernvarme", "en": "District heating"},
    "carrier_district_cooling": {"nb": "Fjernkjøling", "en": "District cooling"},
    "carrier_recovered_heat": {"nb": "Gjenvunnet varme", "en": "Recovered heat"},
    "carrier_recovered_power": {"nb": "Gjenvinningskraft", "en": "Recovered power"},
    "carrier_fuel_oil": {"nb": "Fyringsolje", "en": "Fuel oil"},
    "carrier_diesel": {"nb": "Diesel", "en": "Diesel"},
    "carrier_natural_gas": {"nb": "Naturgass", "en": "Natural gas"},
    "carrier_propane": {"nb": "Propan", "en": "Propane"},
    "carrier_bio_oil": {"nb": "Bioolje", "en": "Bio oil"},
    "category_production": {"nb": "Produksjon", "en": "Production"},
    "category_serving": {"nb": "Servering", "en": "Serving"},
    "category_plate": {"nb": "Tallerken", "en": "Plate"},
    "source_activity": {"nb": "Aktivitet", "en": "Activity"},
    "source_meter": {"nb": "Måler", "en": "Meter"},
    "source_purchases": {"nb": "Innkjøp", "en": "Purchases"},
    "role_main": {"nb": "hovedmåler", "en": "main"},
    "role_sub": {"nb": "undermåler", "en": "sub"},
    # xlsx sheet titles (sheet names themselves stay stable for tools)
    "sheet_title_summary": {"nb": "Sammendrag", "en": "Summary"},
    # changes since the previous report (DESIGN §5 ``changes``)
    "sec_changes": {"nb": "Endringer siden forrige rapport", "en": "Changes since the previous report"},
    "changes_first": {"nb": "Dette er prosjektets første rapport; det finnes ingen tidligere rapport å sammenligne med.",
                      "en": "This is the project's first report; there is no previous report to compare with."},
    "changes_since": {"nb": "Sammenlignet med rapporten for {year} laget {date}.",
                      "en": "Compared with the report for {year} generated {date}."},
    "changes_none": {"nb": "Ingen filer i inputs/ er lagt til, endret eller fjernet.",
                     "en": "No file in inputs/ was added, changed or removed."},
    "changes_files": {"nb": "Filer i inputs/ som er lagt til, endret eller fjernet:",
                      "en": "Files in inputs/ added, changed or removed:"},
    "changes_indicators": {"nb": "Tallene dette flyttet for {year}:",
                           "en": "The figures this moved for {year}:"},
    "col_change": {"nb": "Endring", "en": "Change"},
    "col_rows_before": {"nb": "Rader før", "en": "Rows before"},
    "col_rows_now": {"nb": "Rader nå", "en": "Rows now"},
    "col_previous_report": {"nb": "Forrige rapport", "en": "Previous report"},
    "col_now": {"nb": "Nå", "en": "Now"},
    "change_added": {"nb": "lagt til", "en": "added"},
    "change_changed": {"nb": "endret", "en": "changed"},
    "change_removed": {"nb": "fjernet", "en": "removed"},
}

_USED: set[str] = set()


def t(key: str, lang: str, **kwargs) -> str:
    """Translate ``key`` into ``lang`` and fill in ``kwargs``.

    Records the key in :data:`_USED` so tests can check that every key the
    renderer asks for exists in both languages.
    """
    _USED.add(key)
    text = TEXTS[key][lang]
    return text.format(**kwargs) if kwargs else text


def label(prefix: str, code, lang: str) -> str:
    """Display name for a code (carrier, category, ...), or the code itself."""
    key = f"{prefix}{code}"
    if key in TEXTS:
        return t(key, lang)
    return str(code)


def used_keys() -> set[str]:
    """Keys looked up through :func:`t` since the process started."""
    return set(_USED)


UNIT_DISPLAY = {"tCO2e": "t CO2e", "kgCO2e": "kg CO2e", "gCO2e": "g CO2e"}


def unit_label(unit) -> str:
    """How a unit is written in the report (``tCO2e`` -> ``t CO2e``)."""
    if unit is None:
        return ""
    return UNIT_DISPLAY.get(str(unit), str(unit))


def fmt_qty(x, unit, lang: str, decimals: int | None = None) -> str:
    """A number with its unit, e.g. ``1 234 t CO2e`` or ``45,0 %``."""
    if is_missing(x):
        return "–"
    if unit == "kWh" and decimals is None:
        # a director reads "35 682 MWh", not eight digits of kWh (display.energy_unit)
        div, unit = energy_unit(x)
        x = float(x) / div
    d = auto_decimals(x, unit) if decimals is None else decimals
    if unit == "%":
        return fmt_pct(x, lang, d)
    u = unit_label(unit)
    return f"{fmt_num(x, lang, d)}\u00a0{u}" if u else fmt_num(x, lang, d)


def fmt_date(iso: str, lang: str) -> str:
    """A date from an ISO string: ``23.11.2025`` (nb) or ``2025-11-23`` (en)."""
    try:
        d = datetime.fromisoformat(str(iso).replace("Z", "+00:00"))
    except ValueError:
        return str(iso)
    return d.strftime("%d.%m.%Y") if lang == "nb" else d.strftime("%Y-%m-%d")

# indicator names are vocabulary (vocabulary/indicators.csv), not report text
TEXTS.update({"ind_" + i.name: {"nb": i.name_nb, "en": i.name_en} for i in indicators().values()})
TEXTS.update({"status_" + code: names for code, names in status_names().items()})

TEXTS.update({
    "per_year": {"nb": "{x}/år", "en": "{x}/yr"},
    "required_reached": {"nb": "nådd", "en": "reached"},
    "target_cell": {"nb": "{target} i {year}", "en": "{target} in {year}"},
    "points_abbr": {"nb": "{x} p.p.", "en": "{x} pp"},
    "direction_up": {"nb": "økende", "en": "growing"},
    "s_adjustment": {"nb": "{indicator}: {amount} lagt til hvert år før {year}. Begrunnelse: {reason}",
                     "en": "{indicator}: {amount} added to every year before {year}. Reason: {reason}"},
    "site_sum": {"nb": "Sum", "en": "Total"},
})

TEXTS.update({
    "ylab_emissions": {"nb": "Utslipp", "en": "Emissions"},
    "ylab_climate_neutral": {"nb": "Utslipp", "en": "Emissions"},
    "ylab_footprint": {"nb": "Utslipp, scope 1-3", "en": "Emissions, scopes 1-3"},
    "ylab_energy": {"nb": "Levert energi", "en": "Delivered energy"},
    "ylab_energy_normalised": {"nb": "Klimakorrigert energi", "en": "Weather-normalised energy"},
    "ylab_recovered_heat_share": {"nb": "Andel gjenvunnet energi", "en": "Recovered share"},
    "ylab_recovered_power_share": {"nb": "Andel gjenvinningskraft", "en": "Gjenvinningskraft share"},
    "ylab_food_waste": {"nb": "Matsvinn", "en": "Food waste"},
    "ylab_chemical_free_share": {"nb": "Andel produkter fri for stoffer",
                                 "en": "Share of products free of substances"},
    "method_location": {"nb": "stedsbasert", "en": "location-based"},
    "method_market": {"nb": "markedsbasert", "en": "market-based"},
    "method_european_mix": {"nb": "europeisk miks", "en": "European mix"},
})

# the sector's reporting categories (DESIGN §4), from categories.csv
TEXTS.update({"repcat_" + c: names for c, names in reporting_categories().items()})
TEXTS.update({
    "repcat_other": {"nb": "Annet (aktivitet uten kategori)", "en": "Other (activity without a category)"},
    "sec_categories": {"nb": "Klimaregnskapets kategorier", "en": "Climate-accounting categories"},
    "categories_intro": {
        "nb": "Utslipp i {year} i sektorens egne kategorier, alle scope, strøm {method}. "
              "Summen er lik summen av scope 1, 2 og 3.",
        "en": "Emissions in {year} in the sector's own categories, all scopes, electricity "
              "{method}. They add up to scopes 1, 2 and 3."},
    "categories_net": {
        "nb": "Energi er regnet etter fradrag for opprinnelsesgarantier (gjenvinningskraft og "
              "fornybar) etter denne metoden.",
        "en": "Energy is net of the guarantees of origin (gjenvinningskraft and renewable) under "
              "this method."},
    "categories_lead": {
        "nb": "{first} er den største kategorien med {first_share} av fotavtrykket, fulgt av "
              "{second} ({second_share}).",
        "en": "{first} is the largest category with {first_share} of the footprint, followed by "
              "{second} ({second_share})."},
    "categories_purchases": {
        "nb": "Innkjøp utgjør {share} av fotavtrykket.",
        "en": "Purchases are {share} of the footprint."},
    "categories_no_purchases": {
        "nb": "Innkjøp (scope 3 fra regnskapet) er ikke med: det finnes ingen innkjøpsdata for "
              "{year}, så fotavtrykket er ufullstendig.",
        "en": "Purchases (scope 3 from the general ledger) are not included: there are no "
              "purchases data for {year}, so the footprint is incomplete."},
    "col_share_of_total": {"nb": "Andel", "en": "Share"},
    "col_scope3_category": {"nb": "Scope 3-kategori", "en": "Scope 3 category"},
    "scope3_intro": {"nb": "Scope 3 etter kategori i GHG-protokollen, {year}:",
                     "en": "Scope 3 by GHG Protocol category, {year}:"},
    "s3cat": {"nb": "{n}. {name}", "en": "{n}. {name}"},
    "s3cat_1": {"nb": "Innkjøpte varer og tjenester", "en": "Purchased goods and services"},
    "s3cat_2": {"nb": "Kapitalvarer", "en": "Capital goods"},
    "s3cat_3": {"nb": "Drivstoff- og energirelaterte aktiviteter",
                "en": "Fuel- and energy-related activities"},
    "s3cat_4": {"nb": "Transport og distribusjon oppstrøms",
                "en": "Upstream transportation and distribution"},
    "s3cat_5": {"nb": "Avfall fra driften", "en": "Waste generated in operations"},
    "s3cat_6": {"nb": "Tjenestereiser", "en": "Business travel"},
    "s3cat_7": {"nb": "Ansattes pendling", "en": "Employee commuting"},
    "s3cat_8": {"nb": "Leide eiendeler oppstrøms", "en": "Upstream leased assets"},
    "s3cat_9": {"nb": "Transport og distribusjon nedstrøms",
                "en": "Downstream transportation and distribution"},
    "s3cat_10": {"nb": "Bearbeiding av solgte produkter", "en": "Processing of sold products"},
    "s3cat_11": {"nb": "Bruk av solgte produkter", "en": "Use of sold products"},
    "s3cat_12": {"nb": "Avfallshåndtering av solgte produkter",
                 "en": "End-of-life treatment of sold products"},
    "s3cat_13": {"nb": "Utleide eiendeler nedstrøms", "en": "Downstream leased assets"},
    "s3cat_14": {"nb": "Franchiser", "en": "Franchises"},
    "s3cat_15": {"nb": "Investeringer", "en": "Investments"},
    # disclosures
    "sec_disclosures": {"nb": "Rapporteringskrav", "en": "Disclosures"},
    "sheet_disclosures": {"nb": "rapporteringskrav", "en": "disclosures"},
    "sheet_categories": {"nb": "klimaregnskapskategorier", "en": "reporting_categories"},
    "sheet_scope3_categories": {"nb": "scope3_kategorier", "en": "scope3_categories"},
    "col_reporting_category": {"nb": "Klimaregnskapskategori", "en": "Reporting category"},
    "disclosures_intro": {
        "nb": "Hvor tallene for {year} svarer på ESRS E1-6, GRI 305-1/2/3 og 302-1 og sektorens "
              "egne kategorier. Hvert tall har sitt grunnlag (GWP-sett og metode for strøm); et "
              "punkt som ikke dekkes, sier hvorfor.",
        "en": "Where the figures for {year} answer ESRS E1-6, GRI 305-1/2/3 and 302-1 and the "
              "sector's own categories. Every figure keeps its basis (GWP set and electricity "
              "method); an item not covered says why."},
    "col_framework": {"nb": "Rammeverk", "en": "Framework"},
    "col_reference": {"nb": "Punkt", "en": "Item"},
    "col_disclosure": {"nb": "Tall", "en": "Figure"},
    "col_basis": {"nb": "Grunnlag", "en": "Basis"},
    "col_coverage_note": {"nb": "Dekning", "en": "Coverage"},
    "framework_ESRS": {"nb": "ESRS", "en": "ESRS"},
    "framework_GRI": {"nb": "GRI", "en": "GRI"},
    "framework_sector": {"nb": "Spesialisthelsetjenesten", "en": "Specialist health service"},
    "disc_gross_scope1": {"nb": "Brutto scope 1", "en": "Gross scope 1"},
    "disc_gross_scope2_location": {"nb": "Brutto scope 2, stedsbasert",
                                   "en": "Gross scope 2, location-based"},
    "disc_gross_scope2_market": {"nb": "Brutto scope 2, markedsbasert",
                                 "en": "Gross scope 2, market-based"},
    "disc_gross_scope3": {"nb": "Brutto scope 3", "en": "Gross scope 3"},
    "disc_scope3_category": {"nb": "Scope 3, kategori {n}: {name}",
                             "en": "Scope 3, category {n}: {name}"},
    "disc_total_location": {"nb": "Totale utslipp, stedsbasert", "en": "Total GHG emissions, location-based"},
    "disc_total_market": {"nb": "Totale utslipp, markedsbasert", "en": "Total GHG emissions, market-based"},
    "disc_intensity_per_net_revenue": {"nb": "Utslippsintensitet per netto omsetning",
                                       "en": "GHG intensity per net revenue"},
    "disc_energy_carrier": {"nb": "Energibruk: {carrier}", "en": "Energy consumption: {carrier}"},
    "disc_energy_total": {"nb": "Energibruk i organisasjonen (levert energi)",
                          "en": "Energy consumption within the organisation (delivered energy)"},
    "disc_category": {"nb": "Kategori: {category}", "en": "Category: {category}"},
    "disc_category_total": {"nb": "Sum alle kategorier", "en": "Total of all categories"},
    "disc_covered": {"nb": "dekket", "en": "covered"},
    "disc_reason_no_purchases": {"nb": "ikke dekket: ingen innkjøpsdata",
                                 "en": "not covered: no purchases data"},
    "disc_reason_no_data": {"nb": "ikke dekket: ingen aktivitetsdata",
                            "en": "not covered: no activity data"},
    "disc_reason_not_in_scope": {"nb": "ikke dekket: krever netto omsetning, som verktøyet ikke tar inn",
                                 "en": "not covered: needs net revenue, which the tool does not take"},
    "disc_reason_excludes_purchases": {"nb": "dekket, men uten innkjøp (ingen innkjøpsdata)",
                                       "en": "covered, but without purchases (no purchases data)"},
    "disc_basis": {"nb": "GWP100 {gwp}; {method}", "en": "GWP100 {gwp}; {method}"},
    "disc_basis_any_method": {"nb": "GWP100 {gwp}; lik for alle metoder",
                              "en": "GWP100 {gwp}; the same under every method"},
    "disc_basis_energy": {"nb": "hovedmålere og brensel, uten gjenvunnet energi",
                          "en": "main meters and fuels, recovered energy excluded"},
})

# ids of activities, carriers and emission categories, as users and the factor
# library write them, in the report's words
TEXTS.update({
    "emcat_stationary_combustion": {"nb": "Stasjonær forbrenning", "en": "Stationary combustion"},
    "emcat_vehicles": {"nb": "Egne kjøretøy", "en": "Own vehicles"},
    "emcat_refrigerants": {"nb": "Kuldemedier", "en": "Refrigerants"},
    "emcat_anaesthetic_gases": {"nb": "Anestesigasser og lystgass", "en": "Anaesthetic gases and N2O"},
    "emcat_travel": {"nb": "Reiser", "en": "Travel"},
    "emcat_waste": {"nb": "Avfall", "en": "Waste"},
    "emcat_purchases": {"nb": "Innkjøp", "en": "Purchases"},
    "emcat_other": {"nb": "Annet", "en": "Other"},
    "carrier_petrol": {"nb": "Bensin", "en": "Petrol"},
    "carrier_biogas": {"nb": "Biogass", "en": "Biogas"},
    "carrier_lpg": {"nb": "LPG", "en": "LPG"},
    "carrier_heating_oil": {"nb": "Fyringsolje", "en": "Heating oil"},
    "carrier_kerosene": {"nb": "Parafin", "en": "Kerosene"},
    "carrier_wood_pellets": {"nb": "Trepellets", "en": "Wood pellets"},
    "carrier_wood_chips": {"nb": "Flis", "en": "Wood chips"},
    "carrier_hydrogen": {"nb": "Hydrogen", "en": "Hydrogen"},
    "act_nitrous_oxide": {"nb": "Lystgass (N2O)", "en": "Nitrous oxide (N2O)"},
    "act_flight_domestic": {"nb": "Fly, innenlands", "en": "Flights, domestic"},
    "act_flight_international": {"nb": "Fly, utenlands", "en": "Flights, international"},
    "act_rail": {"nb": "Tog", "en": "Rail"},
    "act_taxi": {"nb": "Drosje", "en": "Taxi"},
    "act_car": {"nb": "Bil (tjenestereiser)", "en": "Car (business travel)"},
    "act_bus": {"nb": "Buss", "en": "Bus"},
    "act_ferry": {"nb": "Ferje", "en": "Ferry"},
    "actp_vehicle": {"nb": "Egne kjøretøy, {name}", "en": "Own vehicles, {name}"},
    "act_certificate:gjenvinningskraft": {"nb": "Gjenvinningskraft (opprinnelsesgaranti)",
                                          "en": "Gjenvinningskraft (guarantee of origin)"},
    "act_certificate:renewable": {"nb": "Fornybar kraft (opprinnelsesgaranti)",
                                  "en": "Renewable power (guarantee of origin)"},
    "actp_waste": {"nb": "Avfall, {name}", "en": "Waste, {name}"},
    "actp_refrigerant": {"nb": "Kuldemedium {name}", "en": "Refrigerant {name}"},
    "actp_anaesthetic": {"nb": "Anestesigass, {name}", "en": "Anaesthetic gas, {name}"},
    "actp_travel": {"nb": "Reiser, {name}", "en": "Travel, {name}"},
    # spend categories (DESIGN §3 Purchases): the activity table's names
    "actp_spend": {"nb": "Innkjøp, {name}", "en": "Purchases, {name}"},
    "sub_medical_consumables": {"nb": "medisinsk forbruksmateriell", "en": "medical consumables"},
    "sub_pharmaceuticals": {"nb": "legemidler", "en": "pharmaceuticals"},
    "sub_medical_equipment": {"nb": "medisinsk-teknisk utstyr (investering)", "en": "medical equipment (capital)"},
    "sub_laboratory_supplies": {"nb": "laboratorieartikler", "en": "laboratory supplies"},
    "sub_food_catering": {"nb": "mat og kantine", "en": "food and catering"},
    "sub_textiles_laundry": {"nb": "tekstiler og vaskeri", "en": "textiles and laundry"},
    "sub_cleaning": {"nb": "renhold", "en": "cleaning"},
    "sub_it_equipment": {"nb": "IT-utstyr", "en": "IT equipment"},
    "sub_it_services": {"nb": "IT-tjenester", "en": "IT services"},
    "sub_furniture": {"nb": "møbler og inventar", "en": "furniture"},
    "sub_construction_maintenance": {"nb": "bygg- og vedlikeholdstjenester", "en": "construction and maintenance services"},
    "sub_transport_services": {"nb": "transporttjenester", "en": "transport services"},
    "sub_consulting_other_services": {"nb": "konsulent- og andre tjenester", "en": "consulting and other services"},
    "sub_office_supplies": {"nb": "kontorrekvisita", "en": "office supplies"},
    "sub_waste_services": {"nb": "avfallstjenester", "en": "waste services"},
    "sub_district_heating": {"nb": "fjernvarme (faktura)", "en": "district heating (bills)"},
    "sub_fuel": {"nb": "drivstoff og brensel (faktura)", "en": "fuel (bills)"},
    "sub_travel": {"nb": "reiser (faktura)", "en": "travel (bills)"},
    "sub_food": {"nb": "matavfall", "en": "food"},
    "sub_hazardous": {"nb": "farlig avfall", "en": "hazardous"},
    "sub_infectious": {"nb": "smittefarlig avfall", "en": "infectious"},
    "sub_paper": {"nb": "papir og papp", "en": "paper and cardboard"},
    "sub_plastic": {"nb": "plast", "en": "plastic"},
    "sub_residual": {"nb": "restavfall", "en": "residual"},
    "sub_glass": {"nb": "glass", "en": "glass"},
    "sub_metal": {"nb": "metall", "en": "metal"},
    "sub_wood": {"nb": "trevirke", "en": "wood"},
    "sub_electronics": {"nb": "EE-avfall", "en": "electronics"},
    "sub_desflurane": {"nb": "desfluran", "en": "desflurane"},
    "sub_sevoflurane": {"nb": "sevofluran", "en": "sevoflurane"},
    "sub_isoflurane": {"nb": "isofluran", "en": "isoflurane"},
    "sub_diesel": {"nb": "diesel", "en": "diesel"},
    "sub_petrol": {"nb": "bensin", "en": "petrol"},
    "sub_biodiesel": {"nb": "biodiesel", "en": "biodiesel"},
    "sub_biogas": {"nb": "biogass", "en": "biogas"},
    "sub_hvo": {"nb": "HVO", "en": "HVO"},
    "sub_electricity": {"nb": "strøm", "en": "electricity"},
    "kind_activity": {"nb": "Aktivitetsdata", "en": "Activity data"},
    "kind_meter_registry": {"nb": "Målepunktregister", "en": "Meter registry"},
    "kind_meter_readings": {"nb": "Måleravlesninger", "en": "Meter readings"},
    "kind_readings": {"nb": "Måleravlesninger", "en": "Meter readings"},
    "kind_food_waste": {"nb": "Matsvinn", "en": "Food waste"},
    "kind_operations": {"nb": "Driftsdata", "en": "Operations"},
    "kind_products": {"nb": "Innkjøpte produkter", "en": "Purchased products"},
    "kind_temperatures": {"nb": "Temperaturer", "en": "Temperatures"},
    "warn_factor_fallbacks": {
        "nb": "{n} faktoroppslag brukte et annet år enn regnskapsåret; se «Faktorer fra andre år» under Metode.",
        "en": "{n} factor look-ups used another year than the accounting year; see 'Factors from other years' under Method."},
    "sec_fallbacks": {"nb": "Faktorer fra andre år", "en": "Factors from other years"},
    "col_years_used": {"nb": "Brukt for år", "en": "Used for years"},
    "col_years_missing": {"nb": "År uten egen faktor", "en": "Years without own factor"},
    "col_factor_year_used": {"nb": "Faktorår brukt", "en": "Factor year used"},
    "col_why": {"nb": "Regel", "en": "Rule"},
    "fb_earlier": {"nb": "nærmeste tidligere år", "en": "nearest earlier year"},
    "fb_earliest": {"nb": "første publiserte år (ingen før)", "en": "earliest published year (none before)"},
    "m_fallbacks_table": {
        "nb": "Der en faktor mangler for et år, er nærmeste tidligere år brukt; finnes ingen tidligere, er første publiserte år brukt:",
        "en": "Where a factor is missing for a year, the nearest earlier year is used; where there is none earlier, the earliest published year is used:"},
    "m_scopes": {"nb": "Scope 1: brensel brent på stedet og i egne kjøretøy, lekkasje av kuldemedier, anestesigasser og lystgass. Scope 2: strøm, fjernvarme og fjernkjøling. Scope 3: avfall, reiser og andre innkjøpte aktiviteter.",
                 "en": "Scope 1: fuels burned on site and in own vehicles, refrigerant leakage, anaesthetic gases and N2O. Scope 2: electricity, district heating and cooling. Scope 3: waste, travel and other purchased activities."},
    "m_delivered": {"nb": "Levert energi er alle hovedmålere unntatt gjenvunnet energi, pluss brensel brent i bygg omregnet med energiinnhold. Undermålere vises per lokasjon, men legges aldri til totalene.",
                    "en": "Delivered energy is every main meter except recovered energy, plus fuels burned in buildings converted with their energy content. Sub-meters are shown per site but never added to totals."},
    "method_configured": {"nb": "{method} (brukt for målet)", "en": "{method} (used for the target)"},
    "col_total": {"nb": "Sum", "en": "Total"},
    "scope_methods_intro": {"nb": "Utslipp per scope for hver metode for strøm ({year}):",
                            "en": "Emissions by scope for each electricity method ({year}):"},
    "sec_sites_energy": {"nb": "Energi per lokasjon", "en": "Energy by site"},
    "sec_sites_emissions": {"nb": "Utslipp, drift og matsvinn per lokasjon", "en": "Emissions, operations and food waste by site"},
    "sec_sub_meters": {"nb": "Undermålere", "en": "Sub-meters"},
    "sub_meters_intro": {"nb": "Undermålere viser en del av lokasjonens forbruk. De er ikke lagt til totalene.",
                         "en": "Sub-meters show part of a site's consumption. They are not added to the totals."},
    "sub_meters_none": {"nb": "Ingen undermålere har data for {year}.", "en": "No sub-meter has data for {year}."},
    "col_share_of_site": {"nb": "Andel av lokasjonens energi", "en": "Share of site energy"},
    "products_count": {"nb": "{n} produkter kjøpt i {year} er ikke fri for helse- og miljøskadelige stoffer. Tabellen viser hvorfor; hele listen står i report.xlsx, arket «products».",
                       "en": "{n} products purchased in {year} are not free of harmful substances. The table shows why; the full list is in report.xlsx, sheet 'products'."},
    "col_products": {"nb": "Produkter", "en": "Products"},
    "reason_flagged": {"nb": "Merket av leverandør/innkjøp som ikke fri", "en": "Flagged as not free by supplier or purchasing"},
    "reason_listed": {"nb": "Inneholder {substance}", "en": "Contains {substance}"},
    "factors_intro": {"nb": "Faktorene bak regnskapet, med kilde (utgiver, publikasjon og år). Per år og linje, med kildens fulle tekst, står de i report.xlsx (arkene «{factors_sheet}» og «{lines_sheet}»).",
                      "en": "The factors behind the accounts, with sources (publisher, publication and year). Per year and line, with each source in full, they are in report.xlsx (sheets '{factors_sheet}' and '{lines_sheet}')."},
    "show_factors": {"nb": "Vis de {n} faktorene", "en": "Show the {n} factors"},
    "show_imports": {"nb": "Vis de {n} filene", "en": "Show the {n} files"},
    "show_rows": {"nb": "Vis tabellen ({n} rader)", "en": "Show the table ({n} rows)"},
    "show_fallbacks": {"nb": "Vis de {n} faktorene fra andre år",
                       "en": "Show the {n} factors from other years"},
    "show_measures_detail": {"nb": "Vis diagram og tabell over de {n} tiltakene",
                             "en": "Show the chart and table of the {n} measures"},
    "col_in_target": {"nb": "Teller mot målet", "en": "Counts towards target"},
    "col_meter_year": {"nb": "Målerår", "en": "Meter year"},
})


def id_label(code, lang: str) -> str:
    """Display name of an activity, carrier or emission-category id.

    ``fuel_oil`` -> ``Fyringsolje``, ``refrigerant:R-134a`` -> ``Kuldemedium
    R-134a``, ``waste:food`` -> ``Avfall, matavfall``; an id the table does not
    know is shown as it is (never hidden).
    """
    code = str(code)
    for prefix in ("carrier_", "emcat_", "act_"):
        if prefix + code in TEXTS:
            return t(prefix + code, lang)
    head, sep, rest = code.partition(":")
    if sep and "actp_" + head in TEXTS:
        sub = ("sub_" + rest) if ("sub_" + rest) in TEXTS else None
        name = t(sub, lang) if sub else rest
        return t("actp_" + head, lang, name=name)
    return code


def has_id_label(code) -> bool:
    """True when :func:`id_label` has words for ``code`` (refrigerant names are proper names)."""
    code = str(code)
    if any(p + code in TEXTS for p in ("carrier_", "emcat_", "act_")):
        return True
    head, sep, rest = code.partition(":")
    if not sep or "actp_" + head not in TEXTS:
        return False
    return head == "refrigerant" or ("sub_" + rest) in TEXTS


def years_text(years) -> str:
    """Years as compact ranges: ``2019–2021, 2023``."""

    return year_ranges(years, dash="–")

TEXTS.update({
    "col_warning": {"nb": "Varsel", "en": "Warning"},
    "status_title_direction_on_track": {"nb": "Økende, som målet krever", "en": "Growing, as the goal asks"},
    "status_title_direction_off_track": {"nb": "Ikke økende, som målet krever", "en": "Not growing, as the goal asks"},
    "legend_baseline_level": {"nb": "Nivå i basisåret", "en": "Baseline level"},
})

# measures (tiltak, DESIGN §4 "Measures"): the section, the status column, the two charts
TEXTS.update({
    "sec_measures": {"nb": "Tiltak", "en": "Measures"},
    "col_gap_after_measures": {"nb": "Gap etter tiltak", "en": "Gap after measures"},
    "gap_closed": {"nb": "nås", "en": "met"},
    "measures_intro": {
        "nb": "Uten nye tiltak (BAU) holdes verdien fra {year} fast. Vedtatte og gjennomførte "
              "tiltak regnes med først, deretter planlagte; ideer er listet, men regnes ikke med. "
              "Bare den delen av et tiltak som kommer etter {year} legges til, for resten er "
              "allerede med i tallene for {year}. Gapet er det som mangler i målåret med "
              "planlagte tiltak (positivt: målet nås ikke).",
        "en": "Business as usual (BAU) holds the {year} value constant. Decided and implemented "
              "measures count first, then planned ones; ideas are listed but never counted. "
              "Only the part of a measure that falls after {year} is added, since the rest is "
              "already in the {year} figures. The gap is what is still missing in the target "
              "year with planned measures (positive: the target is not met)."},
    "measures_sentence": {
        "nb": "Med vedtatte tiltak når vi {decided} i {year}; med planlagte {planned}; målet er "
              "{target}; gapet er {gap}.",
        "en": "With decided measures we reach {decided} in {year}; with planned ones {planned}; "
              "the target is {target}; the gap is {gap}."},
    "measures_sentence_met": {
        "nb": "Med vedtatte tiltak når vi {decided} i {year}; med planlagte {planned}; målet er "
              "{target}, så tiltakene når målet med {margin} å gå på.",
        "en": "With decided measures we reach {decided} in {year}; with planned ones {planned}; "
              "the target is {target}, so the measures meet it with {margin} to spare."},
    "measures_sentence_no_target": {
        "nb": "Med vedtatte tiltak når vi {decided} i {year}; med planlagte {planned}.",
        "en": "With decided measures we reach {decided} in {year}; with planned ones {planned}."},
    "measures_ideas": {"nb": "Ideer (ikke regnet med): {names}.",
                       "en": "Ideas (not counted): {names}."},
    "measures_carrier_note": {
        "nb": "Energitiltak med energibærer endrer også utslippene, med energibærerens "
              "utslippsfaktor for hvert år ({method}; siste publiserte år for årene etter).",
        "en": "Energy measures with a carrier also change emissions, through the carrier's "
              "emission factor of each year ({method}; the last published year for later years)."},
    "col_measure": {"nb": "Tiltak", "en": "Measure"},
    "col_measure_id": {"nb": "Id", "en": "Id"},
    "kind_measures": {"nb": "Tiltak", "en": "Measures"},
    "kind_certificates": {"nb": "Opprinnelsesgarantier", "en": "Energy certificates"},
    "measures_none": {"nb": "Ingen tiltak i inputs/ for {year} (en tiltaksfil med id, navn, "
                            "indikator, effekt, startår).",
                      "en": "No measures in inputs/ for {year} (a measures file with id, name, "
                            "indicator, effect, start_year)."},
    "col_start_year": {"nb": "Startår", "en": "Start year"},
    "col_full_effect_year": {"nb": "Full effekt fra", "en": "Full effect from"},
    "col_effect_full": {"nb": "Effekt ved full effekt (per år)", "en": "Effect at full effect (a year)"},
    "col_with_decided": {"nb": "Med vedtatte tiltak", "en": "With decided measures"},
    "col_with_planned": {"nb": "Med planlagte tiltak", "en": "With planned measures"},
    "measure_via": {"nb": "{name} (via {carrier})", "en": "{name} (via {carrier})"},
    "col_effect_target_year": {"nb": "Effekt i målåret", "en": "Effect in the target year"},
    "col_period": {"nb": "Start–full effekt", "en": "Start–full effect"},
    "col_effect_beyond": {"nb": "Herav nytt etter {year}", "en": "Of which new after {year}"},
    "col_carrier_short": {"nb": "Energibærer", "en": "Carrier"},
    "col_tco2e_per_year": {"nb": "Utslippskutt (t CO2e/år)", "en": "Reduction (t CO2e/yr)"},
    "col_cost_per_tco2e": {"nb": "Kostnad per t CO2e (kr)", "en": "Cost per t CO2e (NOK)"},
    "col_investment": {"nb": "Investering (kr)", "en": "Investment (NOK)"},
    "col_annual_cost_change": {"nb": "Årlig kostnadsendring (kr)",
                               "en": "Annual cost change (NOK)"},
    "col_lifetime": {"nb": "Levetid (år)", "en": "Lifetime (years)"},
    "col_owner": {"nb": "Ansvarlig", "en": "Owner"},
    "col_indicator_short": {"nb": "Indikator", "en": "Indicator"},
    "mstatus_idea": {"nb": "Idé", "en": "Idea"},
    "mstatus_planned": {"nb": "Planlagt", "en": "Planned"},
    "mstatus_decided": {"nb": "Vedtatt", "en": "Decided"},
    "mstatus_implemented": {"nb": "Gjennomført", "en": "Implemented"},
    "chart_wedge": {"nb": "{indicator}: tiltak mot målet i {year}",
                    "en": "{indicator}: measures towards the {year} target"},
    "chart_wedge_subtitle": {
        "nb": "Hel farge: vedtatt eller gjennomført. Lys farge: planlagt. Ideer er ikke tegnet.",
        "en": "Solid: decided or implemented. Light: planned. Ideas are not drawn."},
    "legend_bau": {"nb": "Uten nye tiltak (BAU)", "en": "Business as usual (BAU)"},
    "legend_measures": {"nb": "Tiltak", "en": "Measures"},
    "legend_gap": {"nb": "Gap etter tiltak", "en": "Gap after measures"},
    "wedge_measure": {"nb": "{name} ({status})", "en": "{name} ({status})"},
    "annot_gap": {"nb": "Gap {year}:\n{gap}", "en": "Gap {year}:\n{gap}"},
    "annot_gap_met": {"nb": "Målet nås\nmed tiltakene", "en": "Target met\nwith the measures"},
    "chart_mac": {"nb": "Tiltakskostnadskurve for utslipp", "en": "Marginal abatement cost curve, emissions"},
    "chart_mac_subtitle": {
        "nb": "Bredde: utslippskutt ved full effekt. Høyde: kostnad per tonn (annuitet, {rate} %). "
              "Under aksen: tiltaket sparer penger.",
        "en": "Width: reduction at full effect. Height: cost per tonne (annuity, {rate} %). "
              "Below the axis: the measure saves money."},
    "mac_x": {"nb": "Samlet utslippskutt (t CO2e/år)", "en": "Cumulative reduction (t CO2e/yr)"},
    "mac_y": {"nb": "Kostnad (kr per t CO2e)", "en": "Cost (NOK per t CO2e)"},
    "mac_cost": {"nb": "{cost} kr/t", "en": "NOK {cost}/t"},
    "mac_left_out": {"nb": "Ikke i kurven (ingen kostnad eller ikke utslippskutt): {names}.",
                     "en": "Not in the curve (no cost or no emissions cut): {names}."},
})

# a region (DESIGN §6a): its members
TEXTS.update({
    "chart_contribution": {
        "nb": "{indicator}: hvem drar mot målet? Endring {baseline_year}–{year} per medlem",
        "en": "{indicator}: who pulls toward the target? Change {baseline_year}-{year} by member"},
    "contribution_subtitle": {
        "nb": "Medlemmenes endringer siden {baseline_year} summerer seg til regionens (nederst).",
        "en": "The members' changes since {baseline_year} add up to the region's (bottom)."},
    "contribution_path": {
        "nb": "Stiplet linje: endringen regionens målsti krever innen {year} ({change}).",
        "en": "Dashed line: the change the region's target path asks for by {year} ({change})."},
    "contribution_axis": {"nb": "Endring siden {baseline_year}", "en": "Change since {baseline_year}"},
    "contribution_toward": {"nb": "mot målet", "en": "toward the target"},
    "contribution_away": {"nb": "bort fra målet", "en": "away from the target"},
    "contribution_total": {"nb": "regionen", "en": "the region"},
    "contribution_legend": {"nb": "Endringen trekker", "en": "The change pulls"},
    "contribution_region": {"nb": "{name} i alt", "en": "{name}, total"},
    "sec_members": {"nb": "Medlemmene", "en": "The members"},
    "members_intro": {
        "nb": "Hvert medlem beregnet på regionens grunnlag ({method}, {gwp}), med sine egne "
              "faktorfiler og basisårsjusteringer: endring siden {baseline_year} og status mot "
              "regionens mål.",
        "en": "Each member computed on the region's basis ({method}, {gwp}), with its own "
              "factor files and baseline adjustments: change since {baseline_year} and status "
              "against the region's targets."},
    "col_member": {"nb": "Medlem", "en": "Member"},
    "col_member_id": {"nb": "Medlem-id", "en": "Member id"},
    "sheet_members": {"nb": "medlemmer", "en": "members"},
    "show_disclosures": {"nb": "Vis alle {n} rapporteringspunkter",
                         "en": "Show all {n} disclosure items"},
    "sheet_measures": {"nb": "tiltak", "en": "measures"},
    "sheet_measure_scenarios": {"nb": "tiltak_scenarier", "en": "measure_scenarios"},
    "chart_members": {"nb": "Energi og utslipp per medlem i {year}",
                      "en": "Energy and emissions by member in {year}"},
    "sec_by_member": {"nb": "Per medlem", "en": "By member"},
    "sec_members_energy": {"nb": "Energi per medlem", "en": "Energy by member"},
    "sec_members_emissions": {"nb": "Utslipp, drift og matsvinn per medlem",
                              "en": "Emissions, operations and food waste by member"},
})

# sheet names of report.xlsx (at most 31 characters)
TEXTS.update({
    "sheet_summary": {"nb": "sammendrag", "en": "summary"},
    "sheet_emissions_by_scope": {"nb": "utslipp_per_scope", "en": "emissions_by_scope"},
    "sheet_emissions_by_category": {"nb": "utslipp_per_kategori", "en": "emissions_by_category"},
    "sheet_emissions_by_site": {"nb": "utslipp_per_lokasjon", "en": "emissions_by_site"},
    "sheet_energy": {"nb": "energi", "en": "energy"},
    "sheet_sites": {"nb": "lokasjoner", "en": "sites"},
    "sheet_food_waste": {"nb": "matsvinn", "en": "food_waste"},
    "sheet_products": {"nb": "produkter", "en": "products"},
    "sheet_purchases": {"nb": "innkjøp", "en": "purchases"},
    "sheet_purchases_excluded": {"nb": "innkjøp_utelatt", "en": "purchases_excluded"},
    "sheet_factors": {"nb": "faktorer", "en": "factors"},
    "sheet_calculation_lines": {"nb": "beregningslinjer", "en": "calculation_lines"},
    "sheet_data_quality": {"nb": "datakvalitet", "en": "data_quality"},
    "sheet_warnings": {"nb": "advarsler", "en": "warnings"},
    "sheet_imports": {"nb": "importer", "en": "imports"},
    "sheet_baseline_adjustments": {"nb": "basisårsjusteringer", "en": "baseline_adjustments"},
    "sheet_certificates": {"nb": "opprinnelsesgarantier", "en": "certificates"},
    "col_certificate": {"nb": "Sertifikat", "en": "Certificate"},
    "col_cert_own": {"nb": "Egne", "en": "Own"},
    "col_cert_share": {"nb": "Andel av felles", "en": "Share of trust-wide"},
    "col_cert_bought": {"nb": "Kjøpt", "en": "Bought"},
    "col_cert_counted": {"nb": "Regnet med", "en": "Counted"},
    "col_cert_excess": {"nb": "Overskudd", "en": "Excess"},
    "col_cert_electricity": {"nb": "Strøm", "en": "Electricity"},
    "trust_wide": {"nb": "hele foretaket", "en": "whole trust"},
    "certificate_gjenvinningskraft": {"nb": "gjenvinningskraft", "en": "gjenvinningskraft"},
    "certificate_renewable": {"nb": "fornybar", "en": "renewable"},
})

# ``klimaregnskap explain`` (explain.py): the lines of a figure's audit trail
TEXTS.update({
    "explain_at_site": {"nb": " på lokasjon {site}", "en": " at site {site}"},
    "explain_file_row": {"nb": "{file} rad {row}", "en": "{file} row {row}"},
    "explain_meter": {"nb": "måler {meter}", "en": "meter {meter}"},
    "explain_purchases_origin": {"nb": "{file}, netto av årets rader i innkjøpskategorien",
                                 "en": "{file}, net of the year's rows of the spend category"},
    "explain_certificate_origin": {
        "nb": "opprinnelsesgarantier talt med (egne og andel av foretakets felles, høyst "
              "lokasjonens strøm)",
        "en": "energy certificates counted (own and share of trust-wide, at most the site's "
              "electricity)"},
    "explain_meter_readings": {"nb": "måler {meter}, avlesninger i hovedboken",
                               "en": "meter {meter}, readings in the ledger"},
    "explain_emissions_head": {
        "nb": "{indicator} {year}{where}: {total} tCO2e (scope {scopes}, metode for strøm "
              "'{method}', GWP {gwp})",
        "en": "{indicator} {year}{where}: {total} tCO2e (scopes {scopes}, electricity method "
              "'{method}', GWP {gwp})"},
    "explain_scope_line": {"nb": "  scope {scope} / {category}: {total} tCO2e",
                           "en": "  scope {scope} / {category}: {total} tCO2e"},
    "explain_fallback": {"nb": ", faktor for {factor_year} brukt for {year}",
                         "en": ", fallback from {year} to {factor_year}"},
    "explain_emission_line": {
        "nb": "    {site}: {item} {quantity} {unit} x {factor} {factor_unit} ({factor_year}"
              "{fallback}) = {emissions} tCO2e   [{origin}; faktor: {source}]",
        "en": "    {site}: {item} {quantity} {unit} x {factor} {factor_unit} ({factor_year}"
              "{fallback}) = {emissions} tCO2e   [{origin}; factor: {source}]"},
    "explain_adjustment": {
        "nb": "  justering av basisåret {amount} tCO2e ({as_written}, fra {year}: {reason}) "
              "gjelder {restated}",
        "en": "  baseline adjustment {amount} tCO2e ({as_written}, from {year}: {reason}) "
              "restates {restated}"},
    "explain_sum_of_parts": {"nb": "  sum av delene: {total} tCO2e",
                             "en": "  sum of parts: {total} tCO2e"},
    "explain_delivered_head": {
        "nb": "levert energi {year}{where}: {total} kWh (hovedmålere og brensel i bygg; "
              "undermålere og gjenvunnet energi holdt utenfor)",
        "en": "delivered energy {year}{where}: {total} kWh (main meters and building fuels; "
              "sub-meters and recovered energy excluded)"},
    "explain_carrier_line": {"nb": "  {carrier}: {total} kWh", "en": "  {carrier}: {total} kWh"},
    "explain_energy_line": {"nb": "    {site}: {energy} kWh [{origin}]",
                            "en": "    {site}: {energy} kWh [{origin}]"},
    "explain_recovered_head": {"nb": "gjenvunnet energi {year}{where}: {total} kWh",
                               "en": "recovered energy {year}{where}: {total} kWh"},
    "explain_recovered_line": {"nb": "    {site}: {carrier} {energy} kWh [{origin}]",
                               "en": "    {site}: {carrier} {energy} kWh [{origin}]"},
    "explain_recovered_share": {
        "nb": "andel gjenvunnet = {recovered} / ({delivered} + {recovered}) = {share} %",
        "en": "recovered share = {recovered} / ({delivered} + {recovered}) = {share} %"},
    "explain_normalised_line": {
        "nb": "  {site}: {energy} x (1 - {share}) + {energy} x {share} x {hdd_normal} / "
              "{hdd_actual} = {normalised} kWh ({days} dager med temperatur)",
        "en": "  {site}: {energy} x (1 - {share}) + {energy} x {share} x {hdd_normal} / "
              "{hdd_actual} = {normalised} kWh ({days} temperature days)"},
    "explain_not_normalised": {
        "nb": "  {site}: ikke klimakorrigert (ingen temperaturer eller hdd_normal): {energy} kWh",
        "en": "  {site}: not normalised (no temperatures or hdd_normal): {energy} kWh"},
    "explain_sum": {"nb": "  sum: {total} kWh", "en": "  sum: {total} kWh"},
    "explain_food_head": {"nb": "matsvinn {year}{where}: {total} kg",
                          "en": "food waste {year}{where}: {total} kg"},
    "explain_food_line": {"nb": "  {site} / {category}: {total} kg fra {n} registreringer [{files}]",
                          "en": "  {site} / {category}: {total} kg from {n} registrations [{files}]"},
    "explain_no_products": {"nb": "ingen innkjøpte produkter registrert for {year}",
                            "en": "no purchased products registered for {year}"},
    "explain_products_head": {
        "nb": "produkter fri for listede stoffer {year}: {free} av {products} ulike produkter "
              "= {share} %",
        "en": "products free of listed substances {year}: {free} of {products} distinct "
              "products = {share} %"},
    "explain_not_free": {"nb": "  ikke fri: {product} {description}: {reason}",
                         "en": "  not free: {product} {description}: {reason}"},
})
