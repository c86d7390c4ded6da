// Package ingest reads the input files of kuntalasku: the Statistics Finland population table
// and, later, the activity and hours logs. Readers take an io.Reader and the file's name, never
// a path, and report every bad row with its place as an *Error (file, row, column and the
// column's header), gathered in an *Errors.
//
// # Population, CSV
//
// ReadPopulationCSV reads the PxWeb "semicolon separated with heading" export of table 11re
// ("Väestö iän (1-v.) ja sukupuolen mukaan alueittain"). As downloaded it is ISO-8859-1 with
// CRLF line endings: a quoted title line, an empty line, the header, then one row per area and
// age:
//
//	"11re -- Väestö iän (1-v.) ja sukupuolen mukaan alueittain, 1972-2019"
//
//	"Alue";"Ikä";"Yhteensä 2019 Väestö 31.12.";"Miehet 2019 Väestö 31.12.";"Naiset 2019 Väestö 31.12."
//	"KOKO MAA";"Yhteensä";5525292;2728262;2797030
//	"Aura";"Yhteensä";3941;1910;2031
//	"Aura";"0";36;18;18
//	"Aura";"100 -";1;0;1
//
// Also accepted: UTF-8 with or without a BOM, LF line endings, "," or tab separators, no title
// line. Columns are found by their header text, never by position:
//
//   - stub columns, in Finnish, Swedish or English, any case: the area ("Alue", "Område",
//     "Area", "Region") and the age ("Ikä", "Ålder", "Age"), both required; optionally the sex
//     ("Sukupuoli", "Kön", "Sex"), the year ("Vuosi", "År", "Year") and the information
//     ("Tiedot", "Uppgifter", "Information", ignored).
//   - value columns: every other column. Its header holds the heading variables PxWeb
//     flattened into it: a 4-digit year (unless a year column gives it), the sex ("Yhteensä",
//     "Miehet", "Naiset", or the Swedish and English words; none means both sexes) and the
//     rest ("Väestö 31.12."), which is ignored. The both-sexes column of each year is kept;
//     when a year has only males and females they are added.
//
// Area labels are names ("Koski Tl", "KOKO MAA") or codes with or without the name ("KU853
// Turku", "853 Turku", "KU853", "SSS"). Ages are "Yhteensä" (all ages), single years "0" …
// "99" or codes "000" … "099", the open-ended "100 -", and groups such as "75-79". A count is a
// whole number ≥ 0; "-" is zero and "." … "......" mark a missing value. The ages of an area
// and year must add up to its "Yhteensä" row when they cover all ages.
//
// # Population, XLSX
//
// ReadPopulationXLSX reads PxWeb's "Excel (xlsx)" export of the same tables: a title, one
// heading row per heading variable over the value columns (a label written once where its
// group of columns starts), the area and age in the first two columns (an area's label only on
// its first row), then footnotes after an empty row:
//
//	Väestö iän (1-v.) ja sukupuolen mukaan alueittain, 2019
//
//	                    Yhteensä        Miehet          Naiset
//	                    2019            2019            2019
//	                    Väestö 31.12.   Väestö 31.12.   Väestö 31.12.
//	KOKO MAA  Yhteensä  5525292         2728262         2797030
//	          0         45746           23250           22496
//	Aura      Yhteensä  3941            1910            2031
//
//	Lähde: Tilastokeskus
//
// A value column's labels read top to bottom ("Yhteensä 2019 Väestö 31.12.") are its name
// under the CSV rules above. A blank heading label repeats the one to its left, except where a
// row above starts a new group. A row naming the columns ("Alue", "Ikä", …) may be the last
// header row, or the only one as in the CSV; without it the columns left of the first heading
// label must be exactly the area and the age. A blank stub cell repeats the one above (every
// stub column but the last). Counts may be numbers or text ("3 941", "3941.0"). The table ends
// at the first row without values; a row after it that looks like data is an error. The first
// sheet holding such a table is read. A workbook may be at most 64 MiB and must unpack
// intact to at most 256 MiB; an old .xls is refused.
//
// # Population, PC-Axis
//
// ReadPopulationPX reads the PC-Axis file StatFin publishes (see population_px.go): keywords
// KEYWORD[lang]("subkey")=value; with quoted strings continued over lines, CODEPAGE
// (iso-8859-15 at StatFin, also iso-8859-1, windows-1252 and utf-8), STUB and HEADING naming
// the variables (the last heading variable varies fastest in DATA), VALUES and CODES, and
// DATA streamed to the end. Keywords in other languages ([sv], [en]) are read past. Errors
// give the line as Row, the column within it, and the keyword.
//
// # Any form
//
// ReadPopulation decides the form from the content (DetectFormat): a ZIP is XLSX, a file that
// starts with a PC-Axis keyword is PX, other text is CSV. All three build the same Population
// with the same checks.
package ingest
