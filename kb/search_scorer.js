// Search ranking for the Wissensbasis (conf.py: html_search_scorer; Sphinx
// inlines this file into _static/language_data.js).
//
// Sphinx's defaults, except one rule: a glossary term's index entry scores
// 100 for an exact match, which put the one-line definition above the page
// about the topic (e.g. "Metaverse" found the glossary before "Thema:
// Metaverse"). Index entries are scaled down to 10 (exact) or less, so a
// page whose title or headings hold the word (15) comes first, the glossary
// definition next, pages that merely mention the word (5) after that.
var Scorer = {
  score: (result) => {
    const [docname, title, anchor, descr, score, filename, kind] = result;
    if (kind === "index") return Math.round(score / 10);
    // Listing pages (overviews, tag pages) repeat other pages' titles and
    // summaries on their cards; their scores are halved so the pages they list
    // come first (a tag page titled just "Metaverse" would otherwise outrank
    // "Thema: Metaverse", as Sphinx favours short exact titles).
    const listing = docname.startsWith("tags/") || docname === "index" || docname.endsWith("/index");
    return listing ? Math.floor(score / 2) : score;
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
