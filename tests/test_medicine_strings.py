"""Issue 10's done-when list: everyday medicine strings as people write them.

Each row: the text, the generic ingredient(s) it must resolve to, the crampcheck class(es) it
must fall in, and the daily amount in mg (usual; a second number is the most a day for ranges
and "as needed" lines) or None when the line gives no single strength. The expectations are
written from the products' labels and common usage (Lasix is furosemide; Zestoretic is
lisinopril + hydrochlorothiazide; "tds" is three times a day), not from crampcheck's output.
A second list holds medicines that must be recognised but have no effect on minerals or cramps
in crampcheck's sources, and a third, words that must not be read as any medicine.
"""

from __future__ import annotations

import pytest

from crampcheck.assess import assess
from crampcheck.case import case_from_dict
from crampcheck.knowledge.medicines import daily_dose, match_medication, read_medicine

# text, generics, classes, daily mg (usual) or (usual, max) or None
CASES: list[tuple[str, list[str], list[str], object]] = [
    # --- diuretics and blood pressure --------------------------------------------------------
    ("Lasix 40 mg daily", ["furosemide"], ["loop_diuretic"], 40),
    ("furosemide 20mg bd", ["furosemide"], ["loop_diuretic"], 40),
    ("frusemide 40 mg mane", ["furosemide"], ["loop_diuretic"], 40),
    ("bumetanide 1 mg once daily", ["bumetanide"], ["loop_diuretic"], 1),
    ("torsemide 20 mg", ["torasemide"], ["loop_diuretic"], 20),
    ("HCTZ 25 mg", ["hydrochlorothiazide"], ["thiazide_diuretic"], 25),
    ("hydrochlorothiazide 12.5 mg daily", ["hydrochlorothiazide"], ["thiazide_diuretic"], 12.5),
    ("chlorthalidone 25 mg every other day", ["chlorthalidone"], ["thiazide_diuretic"], 12.5),
    ("indapamide 2.5mg", ["indapamide"], ["thiazide_diuretic"], 2.5),
    ("bendroflumethiazide 2.5 mg od", ["bendroflumethiazide"], ["thiazide_diuretic"], 2.5),
    ("metolazone 5 mg twice a week", ["metolazone"], ["thiazide_diuretic"], 10 / 7),
    ("Aldactone 25mg", ["spironolactone"], ["potassium_sparing_diuretic"], 25),
    ("spironolactone 50 mg daily", ["spironolactone"], ["potassium_sparing_diuretic"], 50),
    ("eplerenone 25 mg", ["eplerenone"], ["potassium_sparing_diuretic"], 25),
    ("lisinopril 10 mg", ["lisinopril"], ["ace_inhibitor"], 10),
    ("Zestril 20 mg daily", ["lisinopril"], ["ace_inhibitor"], 20),
    ("ramipril 5mg bd", ["ramipril"], ["ace_inhibitor"], 10),
    ("enalapril 10 mg twice daily", ["enalapril"], ["ace_inhibitor"], 20),
    ("perindopril 4 mg", ["perindopril"], ["ace_inhibitor"], 4),
    ("losartan 50 mg", ["losartan"], ["arb"], 50),
    ("Cozaar 100 mg", ["losartan"], ["arb"], 100),
    ("valsartan 80 mg bd", ["valsartan"], ["arb"], 160),
    ("candesartan 8 mg", ["candesartan"], ["arb"], 8),
    ("irbesartan 150 mg", ["irbesartan"], ["arb"], 150),
    ("olmesartan 20 mg", ["olmesartan"], ["arb"], 20),
    ("amlodipine 5 mg", ["amlodipine"], ["calcium_channel_blocker"], 5),
    ("Norvasc 10mg", ["amlodipine"], ["calcium_channel_blocker"], 10),
    ("nifedipine 30 mg", ["nifedipine"], ["calcium_channel_blocker"], 30),
    ("diltiazem 120 mg", ["diltiazem"], ["calcium_channel_blocker"], 120),
    ("verapamil 80 mg tds", ["verapamil"], ["calcium_channel_blocker"], 240),
    ("bisoprolol 2.5 mg", ["bisoprolol"], ["beta_blocker"], 2.5),
    ("metoprolol 50 mg bid", ["metoprolol"], ["beta_blocker"], 100),
    ("atenolol 50 mg", ["atenolol"], ["beta_blocker"], 50),
    ("digoxin 125 mcg daily", ["digoxin"], ["digoxin"], 0.125),
    ("Lanoxin 62.5 micrograms", ["digoxin"], ["digoxin"], 0.0625),
    # combinations: several ingredients, no single strength
    ("Zestoretic 20/12.5", ["lisinopril", "hydrochlorothiazide"],
     ["ace_inhibitor", "thiazide_diuretic"], None),
    ("lisinopril/hydrochlorothiazide", ["lisinopril", "hydrochlorothiazide"],
     ["ace_inhibitor", "thiazide_diuretic"], None),
    ("Hyzaar 50-12.5", ["losartan", "hydrochlorothiazide"], ["arb", "thiazide_diuretic"], None),
    ("Exforge HCT", ["amlodipine", "valsartan", "hydrochlorothiazide"],
     ["calcium_channel_blocker", "arb", "thiazide_diuretic"], None),
    ("co-amilofruse 5/40", ["amiloride", "furosemide"],
     ["potassium_sparing_diuretic", "loop_diuretic"], None),
    ("Aldactazide", ["spironolactone", "hydrochlorothiazide"],
     ["potassium_sparing_diuretic", "thiazide_diuretic"], None),
    ("Entresto 49/51 mg twice daily", ["sacubitril", "valsartan"], ["arni", "arb"], None),
    ("lasix and lisinopril", ["furosemide", "lisinopril"], ["loop_diuretic", "ace_inhibitor"],
     None),
    # --- stomach, antacids, laxatives -----------------------------------------------------------
    ("omeprazole 20 mg", ["omeprazole"], ["proton_pump_inhibitor"], 20),
    ("Prilosec OTC 20mg", ["omeprazole"], ["proton_pump_inhibitor"], 20),
    ("Nexium 40 mg daily", ["esomeprazole"], ["proton_pump_inhibitor"], 40),
    ("lansoprazole 30 mg", ["lansoprazole"], ["proton_pump_inhibitor"], 30),
    ("pantoprazole 40mg bd", ["pantoprazole"], ["proton_pump_inhibitor"], 80),
    ("famotidine 20 mg", ["famotidine"], ["h2_blocker"], 20),
    ("Pepcid AC 10 mg as needed", ["famotidine"], ["h2_blocker"], (10, 10)),
    ("milk of magnesia 30 ml", ["magnesium hydroxide"], ["magnesium_antacid_laxative"], None),
    ("Tums Extra Strength 2 tablets", ["calcium carbonate"], ["calcium_antacid"], None),
    ("senna 15 mg at night", ["senna"], ["stimulant_laxative"], 15),
    ("Senokot 2 tablets", ["senna"], ["stimulant_laxative"], None),
    ("bisacodyl 5 mg", ["bisacodyl"], ["stimulant_laxative"], 5),
    ("Dulcolax 10 mg", ["bisacodyl"], ["stimulant_laxative"], 10),
    ("lactulose 15 ml bd", ["lactulose"], ["osmotic_laxative"], None),
    ("Duphalac 10 ml twice daily", ["lactulose"], ["osmotic_laxative"], None),
    ("MiraLAX 17 g daily", ["macrogol"], ["osmotic_laxative"], 17000),
    ("Movicol 1 sachet daily", ["macrogol"], ["osmotic_laxative"], None),
    ("Laxido one sachet bd", ["macrogol"], ["osmotic_laxative"], None),
    ("polyethylene glycol 3350", ["macrogol"], ["osmotic_laxative"], None),
    ("laxatives every day", [], ["laxative_misuse"], None),
    ("slimming tea", [], ["laxative_misuse"], None),
    # --- antibiotics and antifungals --------------------------------------------------------------
    ("doxycycline 100mg twice daily", ["doxycycline"], ["tetracycline"], 200),
    ("ciprofloxacin 500 mg bd", ["ciprofloxacin"], ["fluoroquinolone"], 1000),
    ("Cipro 250 mg", ["ciprofloxacin"], ["fluoroquinolone"], 250),
    ("levofloxacin 500 mg", ["levofloxacin"], ["fluoroquinolone"], 500),
    ("trimethoprim 200 mg bd", ["trimethoprim"], ["trimethoprim"], 400),
    ("clarithromycin 500 mg twice daily", ["clarithromycin"], ["antibiotic_no_mineral_effect"],
     1000),
    ("Biaxin 250 mg", ["clarithromycin"], ["antibiotic_no_mineral_effect"], 250),
    ("azithromycin 500 mg", ["azithromycin"], ["antibiotic_no_mineral_effect"], 500),
    ("amoxicillin 500 mg tds", ["amoxicillin"], ["antibiotic_no_mineral_effect"], 1500),
    ("nitrofurantoin 50 mg qds", ["nitrofurantoin"], ["antibiotic_no_mineral_effect"], 200),
    ("gentamicin", ["gentamicin"], ["aminoglycoside"], None),
    ("amphotericin B", ["amphotericin b"], ["amphotericin_b"], None),
    ("AmBisome", ["amphotericin b"], ["amphotericin_b"], None),
    # --- cancer and transplant ---------------------------------------------------------------
    ("cisplatin", ["cisplatin"], ["platinum_chemotherapy"], None),
    ("tacrolimus 2 mg bd", ["tacrolimus"], ["calcineurin_inhibitor"], 4),
    ("Prograf 1 mg twice daily", ["tacrolimus"], ["calcineurin_inhibitor"], 2),
    ("cyclosporine 100 mg bd", ["ciclosporin"], ["calcineurin_inhibitor"], 200),
    ("Neoral 50 mg", ["ciclosporin"], ["calcineurin_inhibitor"], 50),
    ("voclosporin", ["voclosporin"], ["calcineurin_inhibitor"], None),
    ("cetuximab", ["cetuximab"], ["egfr_antibody"], None),
    # --- hormones, bone, steroids -----------------------------------------------------------------
    ("prednisone 5 mg", ["prednisone"], ["glucocorticoid"], 5),
    ("prednisolone 30 mg daily", ["prednisolone"], ["glucocorticoid"], 30),
    ("dexamethasone 4 mg bd", ["dexamethasone"], ["glucocorticoid"], 8),
    ("alendronate 70 mg weekly", ["alendronate"], ["bisphosphonate"], 10),
    ("Fosamax 70 mg once a week", ["alendronate"], ["bisphosphonate"], 10),
    ("risedronate 35 mg weekly", ["risedronate"], ["bisphosphonate"], 5),
    ("Prolia 60 mg", ["denosumab"], ["denosumab"], 60),
    ("levothyroxine 100 mcg", ["levothyroxine"], ["thyroid_hormone"], 0.1),
    ("Synthroid 50 micrograms daily", ["levothyroxine"], ["thyroid_hormone"], 0.05),
    ("Eltroxin 75", ["levothyroxine"], ["thyroid_hormone"], None),
    ("estradiol 1 mg", ["estradiol"], ["estrogen_hrt"], 1),
    ("Microgynon", ["levonorgestrel"], ["combined_oral_contraceptive"], None),
    ("Cerazette", ["desogestrel"], ["progestogen_only"], None),
    ("insulin glargine 20 units at night", ["insulin glargine"], ["insulin"], None),
    ("Lantus 24 units", ["insulin glargine"], ["insulin"], None),
    ("metformin 500 mg tds", ["metformin"], ["metformin"], 1500),
    ("Glucophage 850 mg bd", ["metformin"], ["metformin"], 1700),
    ("metformin 1g twice daily", ["metformin"], ["metformin"], 2000),
    ("lithium carbonate 400 mg", ["lithium"], ["lithium"], 400),
    ("Priadel 800 mg at night", ["lithium"], ["lithium"], 800),
    ("fludrocortisone 0.1 mg", ["fludrocortisone"], ["mineralocorticoid"], 0.1),
    ("calcitriol 0.25 mcg", ["calcitriol"], ["active_vitamin_d"], 0.00025),
    ("cinacalcet 30 mg", ["cinacalcet"], ["calcimimetic"], 30),
    ("sevelamer 800 mg tds", ["sevelamer"], ["non_calcium_phosphate_binder"], 2400),
    # --- statins and muscles ----------------------------------------------------------------
    ("atorvastatin 20 mg", ["atorvastatin"], ["statin"], 20),
    ("Lipitor 40mg", ["atorvastatin"], ["statin"], 40),
    ("simvastatin 40 mg at night", ["simvastatin"], ["statin"], 40),
    ("Zocor 20 mg nocte", ["simvastatin"], ["statin"], 20),
    ("rosuvastatin 10 mg", ["rosuvastatin"], ["statin"], 10),
    ("Crestor 5mg", ["rosuvastatin"], ["statin"], 5),
    ("pravastatin 40 mg", ["pravastatin"], ["statin"], 40),
    ("Caduet 5/10", ["amlodipine", "atorvastatin"], ["calcium_channel_blocker", "statin"], None),
    ("quinine sulfate 300 mg at night", ["quinine"], ["quinine"], 300),
    ("salbutamol inhaler 2 puffs qds prn", ["salbutamol"], ["beta2_agonist"], None),
    ("Ventolin HFA", ["salbutamol"], ["beta2_agonist"], None),
    ("sertraline 50 mg", ["sertraline"], ["ssri_snri"], 50),
    ("Effexor XR 75 mg", ["venlafaxine"], ["ssri_snri"], 75),
    ("gabapentin 300 mg tds", ["gabapentin"], ["gabapentin"], 900),
    ("theophylline 200 mg bd", ["theophylline"], ["methylxanthine"], 400),
    ("acetazolamide 250 mg", ["acetazolamide"], ["carbonic_anhydrase_inhibitor"], 250),
    ("carbamazepine 200 mg bd", ["carbamazepine"], ["enzyme_inducing_anticonvulsant"], 400),
    # --- painkillers (NSAIDs) ------------------------------------------------------------------
    ("ibuprofen 400 mg tds", ["ibuprofen"], ["nsaid"], 1200),
    ("ibuprofen 200-400 mg every 4-6 hours as needed", ["ibuprofen"], ["nsaid"], (300, 2400)),
    ("Advil 200 mg 2 tablets as needed", ["ibuprofen"], ["nsaid"], (400, 400)),
    ("Nurofen 200mg up to 3 times a day", ["ibuprofen"], ["nsaid"], (200, 600)),
    ("naproxen 500 mg bd", ["naproxen"], ["nsaid"], 1000),
    ("Aleve 220 mg", ["naproxen"], ["nsaid"], 220),
    ("diclofenac 50 mg tds", ["diclofenac"], ["nsaid"], 150),
    ("Voltaren gel", ["diclofenac"], ["nsaid"], None),
    ("celecoxib 200 mg daily", ["celecoxib"], ["nsaid"], 200),
    ("Celebrex 100 mg bid", ["celecoxib"], ["nsaid"], 200),
    ("meloxicam 15 mg", ["meloxicam"], ["nsaid"], 15),
    ("indomethacin 25 mg tid", ["indometacin"], ["nsaid"], 75),
    ("Arthrotec 50", ["diclofenac", "misoprostol"], ["nsaid"], None),
    ("Nurofen Plus", ["ibuprofen", "codeine"], ["nsaid"], None),
    # --- iron -----------------------------------------------------------------------------------
    ("ferrous sulfate 200 mg", ["ferrous sulfate"], ["oral_iron"], 200),
    ("ferrous sulphate 325 mg every other day", ["ferrous sulfate"], ["oral_iron"], 162.5),
    ("ferrous fumarate 210 mg bd", ["ferrous fumarate"], ["oral_iron"], 420),
    ("Feosol 1 tablet daily", ["ferrous sulfate"], ["oral_iron"], None),
    ("Slow Fe", ["ferrous sulfate"], ["oral_iron"], None),
    ("Galfer 305 mg", ["ferrous fumarate"], ["oral_iron"], 305),
    ("iron tablets", ["iron"], ["oral_iron"], None),
    ("caffeine powder", ["caffeine"], ["caffeine_tablet"], None),
    ("Feraccru 30 mg bd", ["ferric maltol"], ["oral_iron"], 60),
    # --- SGLT2 inhibitors and other diabetes combinations ---------------------------------------
    ("Jardiance 10 mg", ["empagliflozin"], ["sglt2_inhibitor"], 10),
    ("empagliflozin 25 mg daily", ["empagliflozin"], ["sglt2_inhibitor"], 25),
    ("Farxiga 10 mg", ["dapagliflozin"], ["sglt2_inhibitor"], 10),
    ("Forxiga 10mg", ["dapagliflozin"], ["sglt2_inhibitor"], 10),
    ("dapagliflozin 10 mg", ["dapagliflozin"], ["sglt2_inhibitor"], 10),
    ("Invokana 100 mg", ["canagliflozin"], ["sglt2_inhibitor"], 100),
    ("Synjardy 5/1000 bd", ["empagliflozin", "metformin"], ["sglt2_inhibitor", "metformin"],
     None),
    ("Xigduo XR", ["dapagliflozin", "metformin"], ["sglt2_inhibitor", "metformin"], None),
    # --- anticoagulants -------------------------------------------------------------------------
    ("Eliquis 5 mg twice daily", ["apixaban"], ["anticoagulant"], 10),
    ("apixaban 2.5 mg bd", ["apixaban"], ["anticoagulant"], 5),
    ("Xarelto 20mg", ["rivaroxaban"], ["anticoagulant"], 20),
    ("rivaroxaban 15 mg bd", ["rivaroxaban"], ["anticoagulant"], 30),
    ("Pradaxa 150 mg twice a day", ["dabigatran"], ["anticoagulant"], 300),
    ("Lixiana 60 mg", ["edoxaban"], ["anticoagulant"], 60),
    ("enoxaparin 40 mg injection daily", ["enoxaparin"], ["anticoagulant"], 40),
    ("warfarin 3 mg", ["warfarin"], ["vitamin_k_antagonist"], 3),
    ("Coumadin 5 mg", ["warfarin"], ["vitamin_k_antagonist"], 5),
    ("blood thinners", [], ["anticoagulant"], None),
    # --- caffeine ---------------------------------------------------------------------------------
    ("caffeine tablets 200 mg", ["caffeine"], ["caffeine_tablet"], 200),
    ("No-Doz 200 mg", ["caffeine"], ["caffeine_tablet"], 200),
    ("Pro Plus 2 tablets", ["caffeine"], ["caffeine_tablet"], None),
    ("Vivarin", ["caffeine"], ["caffeine_tablet"], None),
    # --- misspellings ------------------------------------------------------------------------
    ("atorvastatn 20 mg", ["atorvastatin"], ["statin"], 20),
    ("atorvasatin", ["atorvastatin"], ["statin"], None),
    ("simvastain 40", ["simvastatin"], ["statin"], None),
    ("amlodipin 5mg", ["amlodipine"], ["calcium_channel_blocker"], 5),
    ("omeprazle 20 mg", ["omeprazole"], ["proton_pump_inhibitor"], 20),
    ("spironolacton 25 mg", ["spironolactone"], ["potassium_sparing_diuretic"], 25),
    ("furosemid 40mg", ["furosemide"], ["loop_diuretic"], 40),
    ("metforman 500 mg bd", ["metformin"], ["metformin"], 1000),
    ("lisinipril 10 mg", ["lisinopril"], ["ace_inhibitor"], 10),
    ("ibuprofin 400 mg", ["ibuprofen"], ["nsaid"], 400),
    ("apixiban 5 mg", ["apixaban"], ["anticoagulant"], 5),
    ("clarithromicin 500 mg bd", ["clarithromycin"], ["antibiotic_no_mineral_effect"], 1000),
    ("levothyroxin 50 mcg", ["levothyroxine"], ["thyroid_hormone"], 0.05),
    ("hydrochlorthiazide 25 mg", ["hydrochlorothiazide"], ["thiazide_diuretic"], 25),
    ("prednisolon 5mg", ["prednisolone"], ["glucocorticoid"], 5),
    ("empagliflozine 10 mg", ["empagliflozin"], ["sglt2_inhibitor"], 10),
]

# recognised (brand or generic) but without any effect on minerals or cramps in crampcheck's
# sources: text, generic
IRRELEVANT: list[tuple[str, str]] = [
    ("paracetamol 1 g qds", "acetaminophen"), ("Tylenol 500 mg", "acetaminophen"),
    ("Panadol", "acetaminophen"), ("melatonin 3 mg at night", "melatonin"),
    ("sumatriptan 50 mg", "sumatriptan"), ("Imitrex", "sumatriptan"),
    ("loratadine 10 mg", "loratadine"), ("Claritin", "loratadine"),
    ("cetirizine 10mg", "cetirizine"), ("Zyrtec", "cetirizine"),
    ("tamsulosin 400 mcg", "tamsulosin"), ("Flomax", "tamsulosin"),
    ("finasteride 5 mg", "finasteride"), ("donepezil 10 mg", "donepezil"),
    ("Aricept", "donepezil"), ("sildenafil 50 mg", "sildenafil"),
    ("allopurinol 100 mg", "allopurinol"), ("montelukast 10 mg", "montelukast"),
    ("Singulair", "montelukast"), ("clopidogrel 75 mg", "clopidogrel"),
    ("Plavix", "clopidogrel"), ("ezetimibe 10 mg", "ezetimibe"),
    ("Ozempic 1 mg weekly", "semaglutide"), ("sitagliptin 100 mg", "sitagliptin"),
    ("Januvia", "sitagliptin"), ("tramadol 50 mg", "tramadol"),
    ("mirtazapine 15 mg", "mirtazapine"), ("zolpidem 5 mg", "zolpidem"),
    ("hydroxychloroquine 200 mg", "hydroxychloroquine"), ("latanoprost eye drops", "latanoprost"),
]

# words that are no medicine: never read as one (suggestions are allowed)
NOT_MEDICINES = ["station", "feeling fine", "xyzzy", "my back pain", "tablets", "for sleep",
                 "as needed", "the doctor gave me something", "headache tablets",
                 "40 mg daily"]


def _expected_daily(expected: object) -> tuple[float, float] | None:
    if expected is None:
        return None
    if isinstance(expected, tuple):
        return float(expected[0]), float(expected[1])
    return float(expected), float(expected)


def test_at_least_150_everyday_strings():
    assert len(CASES) >= 150
    assert len(IRRELEVANT) >= 25


@pytest.mark.parametrize(("text", "generics", "classes", "daily"), CASES)
def test_everyday_medicine_strings(text, generics, classes, daily):
    m = match_medication(text)
    assert m is not None, text
    assert m.generics == generics, text
    assert sorted(m.class_ids()) == sorted(classes), text
    dose = daily_dose(m)
    expected = _expected_daily(daily)
    if expected is None:
        assert dose is None, (text, dose)
    else:
        assert dose is not None, text
        assert dose.usual_mg == pytest.approx(expected[0], rel=1e-3), text
        assert dose.max_mg == pytest.approx(expected[1], rel=1e-3), text


@pytest.mark.parametrize(("text", "generic"), IRRELEVANT)
def test_recognised_but_without_effect(text, generic):
    m = match_medication(text)
    assert m is not None, text
    assert m.generics == [generic]
    assert m.classes == [] and m.unclassified == [generic]


def test_recognised_but_without_effect_is_reported_as_recognised():
    texts = [t for t, _ in IRRELEVANT]
    result = assess(case_from_dict({"person": {"age": 60, "sex": "female"},
                                    "medications": texts})).to_dict()
    assert result["unrecognized"]["medications"] == []
    recognised = {f["drug"]: f for f in result["findings"]
                  if f["topic"] == "medication" and f.get("recognized")}
    assert set(recognised) == set(texts)
    finding = recognised["paracetamol 1 g qds"]
    assert finding["summary"] == ("paracetamol 1 g qds: acetaminophen — no known effect on "
                                  "minerals or cramps in crampcheck's sources.")
    assert finding["severity"] == "info" and finding["generics"] == ["acetaminophen"]
    # a drug-name list is no clinical evidence of "no effect": nothing is cited for it
    assert finding["evidence"] == [] and finding["recognized_by"] == "drug_ner_dictionary"


@pytest.mark.parametrize("text", NOT_MEDICINES)
def test_words_that_are_no_medicine(text):
    assert match_medication(text) is None


def test_misspelling_between_two_medicines_is_a_question_not_a_guess():
    # "metalozone" is as close to metolazone (a thiazide-like diuretic) as to metaxalone (a
    # muscle relaxant): guessing either would be a confident wrong answer half the time
    reading = read_medicine("metalozone 5 mg")
    assert reading.match is None
    assert {"metolazone", "metaxalone"} <= set(reading.suggestions)
    # too far from any name to be read, near enough to suggest
    reading = read_medicine("zantak")
    assert reading.match is None and reading.suggestions == ["zantac"]
    # one close medicine and no rival: read, and said so
    reading = read_medicine("lamotrigene 100 mg")
    assert reading.match is not None and reading.match.generics == ["lamotrigine"]
    assert reading.match.fuzzy and reading.match.read_as == ["lamotrigene → lamotrigine"]


def test_unrecognised_medicine_gets_did_you_mean_in_the_assessment():
    result = assess(case_from_dict({"person": {"age": 60, "sex": "male"},
                                    "medications": ["metalozone 5 mg"]})).to_dict()
    assert result["unrecognized"]["medications"] == ["metalozone 5 mg"]
    [finding] = [f for f in result["findings"] if f.get("suggestions")]
    assert "metolazone" in finding["summary"] and "Did you mean" in finding["summary"]
