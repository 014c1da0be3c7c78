// Search ranking for the Wissensbasis (conf.py: html_search_scorer; Sphinx
// inlines this file into _static/language_data.js, searchtools.js calls
// Scorer.score for every hit before sorting by score, ties by title).
//
// Hits and their scores, highest first:
// * search entries of kb/search.py, by how much of the entry's name the query
//   covers (0 to 1): key facts such as "Zörbig (Ort)" 10.5 + 8 × coverage
//   ("Zörbig": 18.5); actors 10 + 6 × coverage ("Gebers" in "Leonie Gebers":
//   13), so a company's own page (title: 15) comes before its Akteure entry;
//   glossary terms 4 + 8 × coverage, so "Metaverse" finds the topic page
//   (15) before the one-line definition (12), and "Umschulung" the
//   definition before pages that merely mention it (5);
// * page and section titles (Sphinx: up to 15), full-text words (5);
// * Sphinx's index entries (the glossary's) are scaled down to 10 and named
//   like the term's search entry, so the list shows each term once;
// * overview pages that hold no entries of their own (the landing page,
//   overviews, tag pages) are halved: they repeat other pages' titles and
//   summaries on their cards, so the pages they list come first.
// Ties are broken by relevance, not by title: a fraction for the share of
// query words in the page's titles.
var Scorer = {
  _cache: null,

  _data: () => {
    if (Scorer._cache) return Scorer._cache;
    const index = Search._index;
    const byAnchor = new Map(); // "file#anchor" -> [name, label]
    const holders = new Set(); // files with glossary terms or actors
    for (const [prefix, list] of Object.entries(index.objects)) {
      for (const [file, typeIndex, , anchor, name] of list) {
        const [domain, , label] = index.objnames[typeIndex];
        if (domain !== "suche") continue;
        const full = prefix ? `${prefix}.${name}` : name;
        byAnchor.set(`${file}#${anchor}`, [full, label]);
        if (label === "Glossarbegriff" || label === "Akteur") holders.add(file);
      }
    }
    const query = new URLSearchParams(window.location.search).get("q") || "";
    const stemmer = new Stemmer();
    const words = splitQuery(query.toLowerCase()).filter((w) => !stopwords.has(w));
    const stems = words.filter((w) => !/^\d+$/.test(w)).map((w) => stemmer.stemWord(w));
    const files = new Map(index.docnames.map((docname, file) => [docname, file])); // docname -> file
    Scorer._cache = { index, byAnchor, holders, files, words, stems };
    return Scorer._cache;
  },

  // The share of the entry's name (or of one of its other names) the query covers.
  _coverage: (name, words) => {
    const names = [name.replace(/ \(auch: (.*)\)$/, "")];
    const others = name.match(/ \(auch: (.*)\)$/);
    if (others) names.push(...others[1].split(", "));
    return Math.max(
      ...names.map((n) => {
        const lower = n.toLowerCase();
        const covered = words.filter((w) => lower.includes(w)).reduce((sum, w) => sum + w.length, 0);
        return Math.min(1, covered / lower.replace(/[^\p{L}\p{N}]/gu, "").length);
      }),
    );
  },

  score: (result) => {
    const [docname, title, anchor, descr, score, filename, kind] = result;
    const data = Scorer._data();
    const file = data.files.get(docname);
    const titleOfPage = data.index.titles[file];
    const entry = data.byAnchor.get(`${file}#${anchor.slice(1)}`);
    if (kind === "object" && descr && descr.endsWith(titleOfPage)) {
      if (entry) {
        const [name, label] = entry;
        const coverage = Scorer._coverage(name, data.words);
        if (label === "Glossarbegriff") return 4 + 8 * coverage;
        return label === "Akteur" ? 10 + 6 * coverage : 10.5 + 8 * coverage;
      }
    }
    let newScore = score;
    if (kind === "index") {
      newScore = Math.round(score / 10);
      if (entry) {
        // Named like the search entry for the same term, so only one of them is listed.
        result[1] = entry[0];
        result[3] = entry[1] + _(", in ") + titleOfPage;
      }
    }
    const overview =
      !data.holders.has(file) &&
      (docname === "index" || docname.endsWith("/index") || docname.startsWith("tags/"));
    if (overview) newScore = Math.floor(newScore / 2);
    // Tie-break: the share of query words among the page's title words.
    const inTitles = data.stems.filter((s) => {
      const files = data.index.titleterms[s];
      return files !== undefined && [].concat(files).includes(file);
    }).length;
    return newScore + (data.stems.length ? (0.5 * inTitles) / data.stems.length : 0);
  },

  // Sphinx's default values (searchtools.js).
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: {
    0: 15,
    1: 5,
    2: -5,
  },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,
};
