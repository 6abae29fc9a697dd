"""The loaders' reports in French (room io): what a chapter prints about the file it read comes from the
catalog (casebook-io.po), with French numbers, rows and dates, while the English reports (and
``casebook validate``) stay word for word as they were and error messages stay English."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from casebook import i18n, paths
from casebook.build.catalogs import french_typography
from casebook.errors import InputError
from casebook.io import report_words
from casebook.io.conversations import load_conversations
from casebook.io.exports import load_pages
from casebook.io.orders import open_orders
from casebook.io.post_report import MissingValues, basis_word, shown_layout
from casebook.io.posts import load_posts
from casebook.io.tables import read_table
from casebook.io.transactions import load_transactions, rule_words

NBSP, NNBSP = "\u00a0", "\u202f"
FIX = Path(__file__).parent / "fixtures"
UCI_EN = [
    "layout: UCI Facebook metrics (';' layout, Moro et al. 2016) (Facebook)",
    "format: csv; encoding: utf-8; delimiter: ';'; decimal mark: '.'",
    "rows read: 500; posts kept: 500",
    "date range: 2014-01-15 04:00 to 2014-12-31 03:00 (reconstructed)",
    "page: dataset_Facebook",
    "engagement rate basis: interactions ÷ reach",
    "missing values: like: 1 empty cell (row 113): left empty; the file's total interactions count it as 0",
    "missing values: share: 4 empty cells (rows 113, 122, 126, 166): left empty; the file's total interactions "
    "count it as 0",
    "missing values: Paid: 1 empty cell (row 501): left unknown; excluded from paid share and paid vs organic",
    "not in this export (left empty): message",
    "note: dates reconstructed from Post Month, Weekday (1 = Sunday) and Hour of 2014 (newest row first)",
    "note: the file holds 500 of the paper's 790 posts: some gaps are withheld posts",
    "note: post ids derived from file order: uci-0001 is the last (oldest) row",
]
UCI_FR = [
    f"modèle d’export{NBSP}: UCI Facebook metrics (séparateur ';', Moro et al. 2016) (Facebook)",
    f"format{NBSP}: csv{NNBSP}; encodage{NBSP}: utf-8{NNBSP}; séparateur{NBSP}: ';'{NNBSP}; "
    f"séparateur décimal{NBSP}: '.'",
    f"lignes lues{NBSP}: 500{NNBSP}; publications retenues{NBSP}: 500",
    f"période{NBSP}: du 15 janvier 2014 à 04:00 au 31 décembre 2014 à 03:00 (reconstituée)",
    f"page{NBSP}: dataset_Facebook",
    f"base du taux d’engagement{NBSP}: interactions ÷ portée",
    f"valeurs manquantes{NBSP}: like{NBSP}: 1 cellule vide (ligne 113){NBSP}: aucune valeur imputée{NNBSP}; "
    "le total d’interactions du fichier y compte pour 0",
    f"valeurs manquantes{NBSP}: share{NBSP}: 4 cellules vides (lignes 113, 122, 126, 166){NBSP}: aucune valeur "
    f"imputée{NNBSP}; le total d’interactions du fichier y compte pour 0",
    f"valeurs manquantes{NBSP}: Paid{NBSP}: 1 cellule vide (ligne 501){NBSP}: statut laissé inconnu{NNBSP}; hors "
    "calcul de la part sponsorisée et de la comparaison sponsorisées/organiques",
    f"colonnes absentes de cet export (laissées vides){NBSP}: message",
    f"remarque{NBSP}: dates reconstituées à partir de Post Month, Post Weekday (1 = dimanche) et Post Hour, "
    "année 2014 (la ligne la plus récente en premier)",
    f"remarque{NBSP}: le fichier contient 500 des 790 publications de l’article{NBSP}: certains écarts entre les "
    "dates correspondent à des publications non communiquées",
    f"remarque{NBSP}: identifiants de publication tirés de l’ordre du fichier{NBSP}: uci-0001 est la dernière "
    "ligne (la plus ancienne)",
]


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    """Every test leaves the book in English, whatever language it switched to."""
    yield
    i18n.use("en")


def _in(lang: str, make):
    with i18n.using(lang):
        return make()


def _all_french(lines: list[str]) -> None:
    for line in lines:
        assert french_typography(line) == [], line


# --- the pieces ------------------------------------------------------------------------------------

def test_counts_rows_and_delimiters_in_both_languages():
    assert _in("en", lambda: report_words.count(541909)) == "541,909"
    assert _in("fr", lambda: report_words.count(541909)) == f"541{NNBSP}909"
    assert _in("en", lambda: report_words.plain(1500)) == "1500"
    assert _in("fr", lambda: report_words.plain(1500)) == f"1{NNBSP}500"
    assert _in("en", lambda: report_words.row_count(1)) == "1 rows"  # English always wrote "rows"
    assert _in("fr", lambda: report_words.row_count(1)) == "1 ligne"
    assert _in("fr", lambda: report_words.row_count(6919)) == f"6{NNBSP}919 lignes"
    assert _in("en", lambda: report_words.delimiter("\t")) == "tab"
    assert _in("fr", lambda: report_words.delimiter("\t")) == "tabulation"
    assert _in("fr", lambda: report_words.delimiter(None)) == "sans objet"
    assert _in("fr", lambda: report_words.delimiter(";")) == "';'"


def test_plural_uses_the_singular_only_where_given():
    assert report_words.plural(1, "{n} a", "{n} b") == "1 a"
    assert report_words.plural(2, "{n} a", "{n} b") == "2 b"
    assert report_words.plural(1, None, "{n} b {x}", x="y") == "1 b y"
    assert _in("en", report_words.translated) is False
    assert _in("fr", report_words.translated) is True


def test_rows_are_named_like_the_error_messages_in_english_and_in_french_otherwise():
    rows = [140, 1037, 2819, 2850, 4084, 4100]
    assert _in("en", lambda: report_words.rows_text(rows)) == "rows 140, 1037, 2819, 2850, 4084, … (6 in all)"
    assert _in("fr", lambda: report_words.rows_text(rows)) == "lignes 140, 1037, 2819, 2850, 4084, … (6 au total)"
    assert _in("fr", lambda: report_words.rows_text([113])) == "ligne 113"


def test_times_and_spans():
    first, last = pd.Timestamp("2010-12-01 08:26"), pd.Timestamp("2011-12-09 12:50")
    assert _in("en", lambda: report_words.span(first, last)) == "2010-12-01 08:26 to 2011-12-09 12:50"
    assert _in("fr", lambda: report_words.span(first, last)) == \
        "du 1er décembre 2010 à 08:26 au 9 décembre 2011 à 12:50"
    assert _in("fr", lambda: report_words.when(pd.Timestamp("2014-01-15 04:00"))) == "15 janvier 2014 à 04:00"


def test_layout_titles_bases_and_rules():
    assert _in("en", lambda: shown_layout("uci")) == "UCI Facebook metrics (';' layout, Moro et al. 2016)"
    assert _in("fr", lambda: shown_layout("uci")) == "UCI Facebook metrics (séparateur ';', Moro et al. 2016)"
    assert _in("fr", lambda: shown_layout("tiktok_content")) == "export de contenu de TikTok Studio (Content.csv)"
    assert _in("fr", lambda: shown_layout("mapping")) == "correspondance de colonnes fournie par l’appelant"
    assert (_in("en", lambda: basis_word("views")), _in("fr", lambda: basis_word("views"))) == ("views", "vues")
    assert _in("fr", lambda: basis_word("reach")) == "portée"
    assert _in("en", rule_words)["cancellation"] == "cancellations (invoice number starting with 'C')"
    assert _in("fr", rule_words)["cancellation"] == "annulations (numéro de facture commençant par 'C')"


def test_missing_values_line():
    gap = MissingValues("share", [113, 122], "left empty")
    assert _in("en", gap.line) == "share: 2 empty cells (rows 113, 122): left empty"
    assert _in("fr", gap.line) == f"share{NBSP}: 2 cellules vides (lignes 113, 122){NBSP}: left empty"


def test_table_description():
    _, info = read_table(FIX / "posts" / "mbs_facebook_latin1_semicolon.csv")
    en, fr = _in("en", info.describe), _in("fr", info.describe)
    assert en.endswith("';' separated, decimal comma, 500 rows") and en.startswith("csv, ")
    assert fr.endswith("séparateur ';', virgule décimale, 500 lignes")


# --- the reports the chapters print ------------------------------------------------------------------

def test_the_page_chapters_post_report():
    path = paths.dataset("facebook_metrics")
    assert _in("en", lambda: load_pages(path).lines()) == UCI_EN
    fr = _in("fr", lambda: load_pages(path).lines())
    assert fr == UCI_FR
    _all_french(fr)


def test_post_report_notes_of_other_exports():
    mbs = _in("fr", lambda: load_posts(FIX / "posts" / "mbs_facebook_posts.csv")[1].lines())
    assert f"remarque{NBSP}: Funded content status{NBSP}: 500 cellules vides lues comme non sponsorisées (l’export " \
           "laisse vide le statut d’une publication organique)" in mbs
    assert "remarque\u00a0: sponsorisée aussi quand 'Reach from Boosted posts' dépasse 0 (139 publications au " \
           "statut vide ou organique)" in mbs
    xlsx = _in("fr", lambda: load_posts(FIX / "posts" / "insights_post_data.xlsx")[1].lines())
    assert f"format{NBSP}: xlsx{NNBSP}; encodage{NBSP}: sans objet{NNBSP}; séparateur{NBSP}: sans objet{NNBSP}; " \
           f"séparateur décimal{NBSP}: '.'" in xlsx
    assert f"remarque{NBSP}: «{NBSP}J’aime{NBSP}», commentaires et partages lus dans la feuille par type d’action " \
           "du classeur" in xlsx
    en = _in("en", lambda: load_posts(FIX / "posts" / "insights_post_data.xlsx")[1].lines())
    assert "note: interactions = comments + likes + shares (no total column in the file)" in en
    _all_french(mbs + xlsx)


def test_leading_rows_and_undated_rows_notes():
    youtube = FIX / "layouts" / "youtube_studio.csv"
    en = _in("en", lambda: load_posts(youtube)[1].notes)
    fr = _in("fr", lambda: load_posts(youtube)[1].notes)
    assert "1 leading row with 'Content' = Total left out (the export's totals, not posts)" in en
    assert "1 ligne de tête où 'Content' = Total écartée (les totaux de l’export, pas des publications)" in fr
    assert "1 row without a publication date left out (row 7): not published posts" in en
    assert f"1 ligne sans date de publication écartée (ligne 7){NBSP}: publication non parue" in fr


def test_the_community_managers_conversation_report():
    path = FIX / "conversations" / "twcs_small.csv"
    en = _in("en", lambda: load_conversations(path)[1].lines()[1:])
    fr = _in("fr", lambda: load_conversations(path)[1].lines()[1:])
    assert en[4] == "inbound (customer) messages: 7; brand messages: 7 from 2 brand accounts; 5 customers"
    assert en[7] == ("warning: 1 message answers a message absent from the file (row 13): their conversations begin "
                     "outside it, and a brand reply among them cannot be timed")
    assert en[-1] == ("licence: CC BY-NC-SA 4.0 (NonCommercial, ShareAlike): tables and charts derived from this file "
                      "carry it (Data: Customer Support on Twitter, CC BY-NC-SA 4.0)")
    assert fr[4] == (f"messages reçus (clients){NBSP}: 7{NNBSP}; messages de marque{NBSP}: 7, venant de 2 comptes de "
                     f"marque{NNBSP}; 5 clients")
    assert fr[6] == f"période{NBSP}: du 30 octobre 2017 à 10:00 au 4 novembre 2017 à 09:30"
    assert fr[7] == (f"avertissement{NBSP}: 1 message répond à un message absent du fichier (ligne 13){NBSP}: sa "
                     "conversation commence hors du fichier, et le délai d’une réponse de la marque y est impossible "
                     "à mesurer")
    assert fr[-1] == (f"licence{NBSP}: CC BY-NC-SA 4.0 (pas d’utilisation commerciale, partage dans les mêmes "
                      f"conditions){NBSP}: les tableaux et graphiques tirés de ce fichier la mentionnent "
                      f"(Données{NBSP}: Customer Support on Twitter, CC BY-NC-SA 4.0)")
    assert len(en) == len(fr)
    _all_french(fr)


def test_conversation_notes_keep_englishs_one_form_and_write_french_singulars(tmp_path):
    inbox = tmp_path / "inbox.csv"
    inbox.write_text("id,from,direction,sent at,in reply to,text\n"
                     "1,c1,in,2024-01-15T10:00:00+01:00,,help\n"
                     "2,brand,out,2024-01-15T08:00:00+01:00,1,hi\n")
    mapping = {"message_id": "id", "author": "from", "inbound": "direction", "created": "sent at",
               "reply_to": "in reply to", "text": "text"}
    en = _in("en", lambda: load_conversations(inbox, mapping=mapping)[1].notes)
    fr = _in("fr", lambda: load_conversations(inbox, mapping=mapping)[1].notes)
    assert en == ["sent at: 2 times written with a UTC offset other than zero, converted to UTC (hours of day are UTC)",
                  "1 replies are dated before the message they answer (row 3): clocks disagree; their reply times "
                  "are left out"]
    assert fr == [f"sent at{NBSP}: 2 heures écrites avec un décalage UTC non nul, converties en UTC (les heures de la "
                  "journée sont en UTC)",
                  f"1 réponse est datée d’avant le message auquel elle répond (ligne 3){NBSP}: les horloges "
                  f"divergent{NNBSP}; son délai de réponse est écarté"]


def test_the_volvo_cleaning_summary():
    path = FIX / "transactions" / "retail_small.csv"
    en = _in("en", lambda: open_orders(path)[1].lines()[1:])
    fr = _in("fr", lambda: open_orders(path)[1].lines()[1:])
    assert en[0] == "read as: csv, utf-8, ',' separated, 8 rows"
    assert en[-2:] == ["date range: 2010-12-01 08:26 to 2010-12-02 11:00", "revenue kept: 50.94"]
    assert fr == [
        f"lu au format{NBSP}: csv, utf-8, séparateur ',', 8 lignes",
        f"colonnes{NBSP}: customer_id <- CustomerID, timestamp <- InvoiceDate, amount <- Quantity × UnitPrice, "
        "quantity <- Quantity, invoice <- InvoiceNo",
        f"lignes lues{NBSP}: 8",
        f"retirées, lignes sans identifiant client{NBSP}: 1",
        f"retirées, annulations (numéro de facture commençant par 'C'){NBSP}: 1",
        f"retirées, ajustements (numéro de facture commençant par 'A'){NBSP}: 1",
        f"retirées, lignes de quantité nulle ou négative{NBSP}: 1",
        f"retirées, lignes de montant négatif{NBSP}: 0",
        f"conservées, lignes de montant nul (articles gratuits){NBSP}: 1",
        f"lignes conservées{NBSP}: 4",
        f"clients{NBSP}: 3",
        f"factures{NBSP}: 3",
        f"période{NBSP}: du 1er décembre 2010 à 08:26 au 2 décembre 2010 à 11:00",
        f"chiffre d’affaires retenu{NBSP}: 50,94",
    ]
    assert _in("fr", lambda: load_transactions(path)[1].lines()[1:]) == fr
    _all_french(fr)


def test_whitespace_text_and_parts_are_described_in_french(tmp_path):
    cdnow = paths.dataset("cdnow")
    assert _in("en", lambda: load_transactions(cdnow)[1].table) == "text, utf-8, whitespace separated, 6,919 rows"
    assert _in("fr", lambda: load_transactions(cdnow)[1].table) == \
        f"texte, utf-8, séparé par des espaces, 6{NNBSP}919 lignes"
    parts = tmp_path / "parts"
    parts.mkdir()
    head = "CustomerID,InvoiceDate,Quantity,UnitPrice,InvoiceNo\n"
    (parts / "a.csv").write_text(head + "1,2011-01-03 10:00,2,1.5,100\n")
    (parts / "b.csv").write_text(head + "2,2011-01-04 10:00,1,2.5,101\n")
    assert _in("en", lambda: open_orders(parts)[1].table) == "csv, ',' separated, 2 parts, 2 rows"
    assert _in("fr", lambda: open_orders(parts)[1].table) == "csv, séparateur ',', 2 parties, 2 lignes"


def test_error_messages_stay_english_in_french():
    with i18n.using("fr"), pytest.raises(InputError, match=r"rows 3, 4: dates that do not parse"):
        load_transactions(FIX / "transactions" / "bad_dates.csv")
