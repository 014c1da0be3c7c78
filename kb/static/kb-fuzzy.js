// Typo tolerance of the search page (kb-search.js, which the build appends to this file).
//
// MiniSearch's own fuzzy search counts edits on the stem with the Levenshtein
// distance: a swap of two neighbouring letters ("Jahrestagnug") costs two
// edits, and a typo that changes how the stemmer cuts the word ("Umschlung":
// stem "umschlung", not "umschul") lands far from the right stem. This file
// adds what it misses, as stems for the query to look up:
// * the optimal string alignment distance (Damerau–Levenshtein without
//   editing a substring twice): a transposition of two adjacent letters is
//   one edit; the tolerance stays one edit from 5 letters, two from 9;
// * the comparison with the folded word forms of the site as well as with
//   the stems (the index lists each stem's forms, kb/search_index.py), so a
//   typo is measured against the word the reader meant to type.
// Pure functions without the page, so tests/fast/test_search_index.py runs them in node.
"use strict";

const KBFuzzy = (() => {
  // Lower case, umlauts and ß folded, "ae"/"oe"/"ue" read as umlauts (as the stemmer does).
  const fold = (w) =>
    w
      .toLowerCase()
      .replace(/ä|ae/g, "a")
      .replace(/ö|oe/g, "o")
      .replace(/(^|[^q])(ü|ue)/g, "$1u")
      .replace(/ß/g, "ss");

  // Edits forgiven in a word of this length: one from 5 letters, two from 9.
  const allowed = (w) => (w.length >= 9 ? 2 : w.length >= 5 ? 1 : 0);

  // Optimal string alignment distance of a and b (a swap of neighbours is one edit), or max + 1 when
  // above max. Three rows reused across calls: the search compares a query word with every stem.
  let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    if (b.length + 1 > rows[0].length) rows = rows.map(() => new Int32Array(2 * (b.length + 1)));
    let [before, prev, row] = rows;
    for (let j = 0; j <= b.length; j++) prev[j] = j;
    for (let i = 1; i <= a.length; i++) {
      row[0] = i;
      let least = i;
      const ai = a.charCodeAt(i - 1);
      for (let j = 1; j <= b.length; j++) {
        const bj = b.charCodeAt(j - 1);
        let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ai === bj ? 0 : 1));
        if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) d = Math.min(d, before[j - 2] + 1);
        row[j] = d;
        if (d < least) least = d;
      }
      if (least > max) return max + 1;
      [before, prev, row] = [prev, row, before];
    }
    return prev[b.length];
  }

  // Stems of the site within the typo tolerance of a query word: word is what the
  // reader typed, stemmed its stem; stems is the index's list of stems, forms
  // a list of [folded word form, its stem]. Returns a Map stem -> edits.
  function similar(word, stemmed, stems, forms) {
    const found = new Map();
    const add = (s, d) => {
      if (s !== stemmed && (!found.has(s) || found.get(s) > d)) found.set(s, d);
    };
    const maxStem = allowed(stemmed);
    if (maxStem) {
      for (const s of stems) {
        const d = distance(stemmed, s, maxStem);
        if (d <= maxStem) add(s, d);
      }
    }
    const folded = fold(word);
    const maxForm = allowed(folded);
    if (maxForm) {
      // (a stem is a word form too: the index lists only the forms that differ from their stem)
      for (const s of stems) {
        const d = distance(folded, s, maxForm);
        if (d <= maxForm) add(s, d);
      }
      for (const [form, s] of forms) {
        const d = distance(folded, form, maxForm);
        if (d <= maxForm) add(s, d);
      }
    }
    return found;
  }

  return { fold, allowed, distance, similar };
})();
