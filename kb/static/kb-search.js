// The search page of the Wissensbasis (search.html, kb/search_index.py).
//
// MiniSearch (minisearch.min.js) loads the index that the build wrote in its
// own format (_static/kb-suchindex.json); the query goes through the same
// Snowball German stemmer as the index (language_data.js: Stemmer, stopwords).
// What this script adds to MiniSearch, and why:
// * every query word is a group of alternatives: its stem, the parts of a
//   compound the pages write apart, the words of its synonym group
//   (kb/search_synonyms.yaml); one edit is forgiven in words of 5 letters or
//   more, two in words of 9 or more, a swap of neighbouring letters counting as
//   one and measured against the stems and the word forms (kb-fuzzy.js), and
//   words of 4 or more letters also find longer words they begin ("Fachkräfte"
//   finds "Fachkräftemangel");
// * a page holding every group comes before a page holding some; when no page
//   holds them all, the pages holding most are listed, with a German line
//   saying so (never "keine Treffer" while a word matches);
// * the page that tells the story comes first; a register entry (Begriff,
//   Person, Organisation, Schlagwort, overview) only when the query names it;
//   tag pages only when the query asks for a Schlagwort;
// * results are links in rank order inside #search-results; the count is
//   announced in a live region; snippets come from the page text around the
//   first match (never navigation, the A–Z bar or field labels).
"use strict";

(() => {
  const FIELDS = ["name", "head", "desc", "text", "teile"];
  const BOOST = { name: 4, head: 3, desc: 1.5, text: 1, teile: 0.7 };
  const LABELS = { schlagwort: "Schlagwort", begriff: "Begriff", person: "Person", organisation: "Organisation" };
  const REGISTER = new Set(["schlagwort", "begriff", "person", "organisation", "uebersicht"]);
  const TAG_WORDS = new Set(["schlagwort", "schlagworte", "stichwort", "stichworte", "tag", "tags", "hashtag"]);
  const DEFINE = /^(was\s+(ist|sind|bedeutet|bedeuten|heißt|heisst|meint|macht|versteht\s+man\s+unter)|definition|bedeutung|erkläre?|what\s+is)\b/;
  const WHO = /^(wer\s+(ist|war|sind))\b/;
  const EXTRA_STOPWORDS = new Set(["gibt", "eigentlich", "bitte", "fürs", "beim", "ins", "the", "of", "and", "for", "a", "an", "to", "with", "what", "is", "how", "who"]);
  const WORD = /[\p{L}\p{N}]+/gu;
  const SNIPPET = 180;
  const MAX_RESULTS = 30;

  const stemmer = new Stemmer();
  const stem = (w) => (/^\d+$/.test(w) ? w : stemmer.stemWord(w));
  const words = (text) => (text.toLowerCase().match(WORD) || []).filter((w) => w.length > 1 || /\d/.test(w));
  const fuzziness = (w) => (w.length >= 9 ? 2 : w.length >= 5 ? 1 : 0);

  const LOOSE_LETTERS = 3;
  // Stopwords as the index's synonym phrases have them: stemmed ("für": fur).
  const STOP_STEMS = new Set([...stopwords, ...EXTRA_STOPWORDS].map(stem));
  const phraseKey = (phrase) => {
    const terms = phrase.split(" ");
    const content = terms.filter((t) => !STOP_STEMS.has(t));
    return (content.length ? content : terms).join(" ");
  };

  let engine = null; // {ms, synonyms}
  let loading = null; // the promise of the engine, fetched once
  const pages = new Map(); // url -> Promise of the page's text blocks

  function load() {
    loading = loading || fetchIndex();
    return loading;
  }

  async function fetchIndex() {
    const base = document.documentElement.dataset.content_root || "";
    const response = await fetch(`${base}_static/kb-suchindex.json`);
    const data = await response.json();
    const ms = MiniSearch.loadJS(expand(data), {
      fields: FIELDS,
      storeFields: ["u", "t", "k", "d", "n"],
      tokenize: (s) => s.split(" "),
      processTerm: (t) => t,
    });
    // Phrase -> the other phrases of its synonym group.
    // A phrase is looked up by its words without stopwords, as the query is analysed
    // ("kleine und mittlere Unternehmen": klein mittl unternehm).
    const synonyms = {};
    for (const group of data.synonyms) {
      for (const phrase of group) {
        const key = phraseKey(phrase);
        synonyms[key] = [...new Set([...(synonyms[key] || []), ...group.filter((p) => p !== phrase)])];
      }
    }
    // The stems and the folded word forms that typos are measured against (kb-fuzzy.js).
    const stems = data.index.map(([term]) => term).filter((t) => !/^\d+$/.test(t));
    const forms = (data.forms || []).flatMap(([term, ...rest]) => rest.map((form) => [form, term]));
    engine = { ms, synonyms, stems, forms, similar: new Map() };
    return engine;
  }

  // The build's compact index (kb/search_index.py, build_index) in MiniSearch's serialisation.
  function expand(data) {
    const count = data.docs.length;
    const documentIds = {};
    const storedFields = {};
    const fieldLength = {};
    const totals = data.fields.map(() => 0);
    data.docs.forEach(([u, t, k, n, d], i) => {
      documentIds[i + 1] = i + 1;
      storedFields[i + 1] = { u, t, k, n: n || t, d: d || "" };
      fieldLength[i + 1] = data.lengths[i];
      data.lengths[i].forEach((length, f) => (totals[f] += length));
    });
    const index = data.index.map(([term, ...rest]) => {
      const fields = {};
      for (let j = 0; j < rest.length; j += 2) {
        const postings = {};
        let doc = 0;
        for (const x of rest[j + 1]) {
          if (x < 0) postings[doc] = -x;
          else postings[(doc += x)] = 1;
        }
        fields[rest[j]] = postings;
      }
      return [term, fields];
    });
    return {
      documentCount: count,
      nextId: count + 1,
      documentIds,
      fieldIds: Object.fromEntries(data.fields.map((f, i) => [f, i])),
      fieldLength,
      averageFieldLength: totals.map((t) => t / Math.max(1, count)),
      storedFields,
      dirtCount: 0,
      index,
      serializationVersion: 2,
    };
  }

  // Intent and groups of alternatives, one per query word (or synonym phrase).
  function analyse(query, ms, synonyms) {
    const lower = query.toLowerCase().trim();
    const intent = DEFINE.test(lower) ? "begriff" : WHO.test(lower) ? "akteur" : null;
    let tokens = words(lower.replace(DEFINE, "").replace(WHO, ""));
    if (!tokens.length) tokens = words(lower);
    let tag = false;
    if (tokens.length > 1 && tokens.some((w) => TAG_WORDS.has(w))) {
      tag = true;
      tokens = tokens.filter((w) => !TAG_WORDS.has(w));
    }
    const content = tokens.filter((w) => !stopwords.has(w) && !EXTRA_STOPWORDS.has(w));
    if (content.length) tokens = content;
    const stems = tokens.map(stem);
    const groups = [];
    for (let i = 0; i < tokens.length; ) {
      let used = 0;
      for (let n = Math.min(4, tokens.length - i); n >= 1 && !used; n--) {
        const phrase = stems.slice(i, i + n).join(" ");
        const alternatives = synonyms[phrase] || (n === 1 ? looseSynonyms(phrase, synonyms) : null);
        if (alternatives) {
          const typed = tokens.slice(i, i + n);
          const alts = [{ terms: stems.slice(i, i + n), typed: true }];
          for (const alt of alternatives) {
            const terms = alt.split(" ").filter((t) => !stopwords.has(t));
            if (terms.length) alts.push({ terms, typed: false });
          }
          groups.push({ word: typed.join(" "), alts });
          used = n;
        }
      }
      if (!used) {
        const parts = compoundParts(tokens[i], ms);
        const alts = [{ terms: [stems[i]], typed: true }];
        if (parts.length) alts.push({ terms: parts, typed: true });
        groups.push({ word: tokens[i], alts });
        used = 1;
      }
      i += used;
    }
    // Typos MiniSearch's fuzzy search misses: a swap of neighbouring letters, a typo that changes
    // the stem (kb-fuzzy.js). Their stems form one more alternative, any of them will do.
    if (engine) {
      for (const group of groups) {
        const first = group.alts[0];
        if (group.word.includes(" ") || first.terms.length !== 1) continue;
        const q = first.terms[0];
        const lev = fuzziness(q);
        const key = `${group.word}|${q}`; // (typing re-analyses the earlier words of the query: once each)
        if (!engine.similar.has(key)) engine.similar.set(key, [...KBFuzzy.similar(group.word, q, engine.stems, engine.forms).keys()]);
        const extra = engine.similar.get(key).filter(
          (s) => !(s.startsWith(q) && q.length >= 4) && distance(q, s, lev) > lev && !STOP_STEMS.has(s), // ("Halle" is not "alle")
        );
        if (extra.length) group.alts.push({ terms: extra, typed: true, any: true });
      }
    }
    for (const group of groups) group.terms = [...new Set(group.alts.flatMap((a) => a.terms))];
    return { groups, intent, tag };
  }

  // A synonym group for a single word written a little differently ("Firmen": Firma): the closest
  // key that begins with it or that it begins with, a few letters apart at most (not a compound:
  // "Arbeit" is not "Arbeitszeit").
  function looseSynonyms(stemmed, synonyms) {
    if (stemmed.length < 4) return null;
    let best = null;
    for (const [key, alternatives] of Object.entries(synonyms)) {
      if (key.includes(" ") || key.length < 4 || !(key.startsWith(stemmed) || stemmed.startsWith(key))) continue;
      const apart = Math.abs(key.length - stemmed.length);
      if (apart <= LOOSE_LETTERS && (!best || apart < best.apart)) best = { apart, alternatives };
    }
    return best ? best.alternatives : null;
  }

  // A compound the pages write apart ("Mitarbeitergewinnung": Mitarbeiter gewinnen):
  // two stems the index has, when the word itself is not in it.
  function compoundParts(word, ms) {
    if (word.length < 8 || ms._index.has(stem(word))) return [];
    let best = [];
    for (let i = 3; i <= word.length - 3; i++) {
      const right = stem(word.slice(i));
      if (!ms._index.has(right)) continue;
      for (const link of ["", "s", "es", "n", "en"]) {
        const left = word.slice(0, i);
        if (link && !left.endsWith(link)) continue;
        const base = left.slice(0, left.length - link.length);
        if (base.length >= 3 && ms._index.has(stem(base))) {
          if (!best.length || Math.min(base.length, right.length) > Math.min(best[0].length, best[1].length)) best = [stem(base), right];
          break;
        }
      }
    }
    return best;
  }

  // Levenshtein distance (what MiniSearch's fuzzy search counts), stopping early above max.
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      for (let j = 1; j <= b.length; j++) {
        row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
      if (Math.min(...row) > max) return max + 1;
      prev = row;
    }
    return prev[b.length];
  }

  // A word of a name is matched by a query term: the same stem, a prefix, or within the typo tolerance.
  const sameWord = (s, q) =>
    s === q || (q.length >= 4 && s.startsWith(q)) || (q.length >= 5 && KBFuzzy.distance(s, q, fuzziness(q)) <= fuzziness(q));

  // How much of an entry's name the query covers, 0 to 1: the best of its names
  // ("Name (auch: Other, ...)"), and for "Praxisbeispiel: CONTALL GmbH" also the part after the colon.
  function nameCoverage(name, terms) {
    const names = [name.replace(/ \(auch: .*\)$/, "")];
    const others = name.match(/ \(auch: (.*)\)$/);
    if (others) names.push(...others[1].split(", "));
    for (const n of [...names]) if (n.includes(": ")) names.push(n.split(": ").slice(1).join(": "));
    return Math.max(
      ...names.map((n) => {
        const own = words(n).map(stem);
        if (!own.length) return 0;
        const total = own.reduce((sum, w) => sum + w.length, 0);
        return own.filter((w) => terms.some((q) => sameWord(w, q))).reduce((sum, w) => sum + w.length, 0) / total;
      }),
    );
  }

  // How many query groups a page's name holds; a group of several typed words (a synonym phrase,
  // "Corporate Metaverse") counts by the share of those words in the name, so that a page named
  // by one of them ("Thema: Metaverse") does not count as named by all of them. A name that holds
  // the group only through a synonym counts in full.
  function nameShare(doc, name, groups) {
    const own = words(name).map(stem);
    let share = 0;
    for (const g of doc.inName) {
      const typed = groups[g].alts[0].terms;
      const held = typed.filter((q) => own.some((w) => sameWord(w, q))).length;
      share += typed.length > 1 && held > 0 ? held / typed.length : 1;
    }
    return share;
  }

  const SYNONYM_WEIGHT = 0.6;
  const FUZZY_WEIGHT = 0.5;

  function search(query) {
    const { ms, synonyms } = engine;
    const { groups, intent, tag } = analyse(query, ms, synonyms);
    if (!groups.length) return { results: [], partial: false, groups };
    const docs = new Map(); // id -> {hit, scores: [per group], inName: Set of groups}
    groups.forEach((group, g) => {
      for (const alt of group.alts) {
        const hits = alt.any
          ? ms.search({ combineWith: "OR", queries: alt.terms }, { boost: BOOST, fuzzy: 0, prefix: false })
          : ms.search(
              { combineWith: "AND", queries: alt.terms },
              {
                boost: BOOST,
                fuzzy: (term) => (alt.typed ? fuzziness(term) : 0),
                prefix: (term) => term.length >= 4,
                weights: { fuzzy: 0.5, prefix: 0.4 },
              },
            );
        for (const hit of hits) {
          const doc = docs.get(hit.id) || { hit, scores: groups.map(() => 0), inName: new Set(), inHead: new Set() };
          // A stem found only by the typo tolerance of kb-fuzzy.js weighs as much as MiniSearch's fuzzy match.
          const weight = alt.any ? FUZZY_WEIGHT : (alt.typed ? 1 : SYNONYM_WEIGHT) / alt.terms.length;
          doc.scores[g] = Math.max(doc.scores[g], hit.score * weight);
          const fields = Object.values(hit.match).flat();
          if (fields.includes("name")) doc.inName.add(g);
          if (fields.includes("name") || fields.includes("head")) doc.inHead.add(g);
          docs.set(hit.id, doc);
        }
      }
    });
    const found = new Set([...docs.values()].flatMap((d) => d.scores.flatMap((s, g) => (s > 0 ? [g] : []))));
    const terms = groups.flatMap((g) => g.terms);
    const results = [];
    for (const doc of docs.values()) {
      const { k: kind, n: name } = doc.hit;
      const matched = doc.scores.filter((s) => s > 0).length;
      const coverage = matched / groups.length;
      let score = doc.scores.reduce((a, b) => a + b, 0) * coverage ** 2;
      // Every query word is in the entry's name; the query names the entry: all of its name is
      // in the query and, for a term or an overview, nothing else (a person or organisation is
      // named by its name among other words: "Laura Haß Marketing").
      const inName = doc.inName.size === found.size;
      const proper = kind === "person" || kind === "organisation" || kind === "seite";
      const covered = nameCoverage(name, terms);
      const named = coverage === 1 && (covered >= 0.99 || (inName && covered >= 0.5)) && (proper || inName);
      if (kind === "schlagwort") score *= tag && (named || inName) ? 8 : 0.1;
      else if (REGISTER.has(kind)) score *= named ? 4 : inName ? 1 : 0.25;
      else score *= named ? 1 + (4 * nameShare(doc, name, groups)) / groups.length : inName ? 2 : 1;
      // A section title holding every query word ("Formate der Tagung").
      if (doc.inHead.size === found.size && found.size > 1) score *= 1.5;
      if (intent === "begriff") score *= kind === "begriff" ? 2 : 0.7;
      if (intent === "akteur") score *= kind === "person" || kind === "organisation" ? 2 : 0.7;
      results.push({ doc, score, coverage, named, inName });
    }
    results.sort((a, b) => b.score - a.score || a.doc.hit.t.localeCompare(b.doc.hit.t));
    const partial = results.length > 0 && results[0].coverage < 1;
    return { results: results.slice(0, MAX_RESULTS), partial, groups };
  }

  // -- Showing the results ---------------------------------------------------

  const el = (tag, props = {}, ...children) => {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  };

  function title(hit) {
    const label = LABELS[hit.k];
    if (!label || hit.t.startsWith(`${label}:`)) return hit.t;
    return `${label}: ${hit.k === "begriff" ? hit.n : hit.t}`;
  }

  // The page's paragraphs (_static/kb-suchtext/<page>.txt, written by the build), fetched once per page.
  function pageBlocks(url) {
    if (!pages.has(url)) {
      const base = document.documentElement.dataset.content_root || "";
      const file = url.split("#")[0].replace(/\.html$/, ".txt");
      pages.set(
        url,
        fetch(`${base}_static/kb-suchtext/${file}`)
          .then((r) => (r.ok ? r.text() : ""))
          .then((text) => text.split("\n").filter((line) => line.trim()))
          .catch(() => []),
      );
    }
    return pages.get(url);
  }

  // Where a query word (its stem, folded) occurs in a text: [start, end] or null.
  function findWord(text, groups, typedOnly = false) {
    const stems = groups
      .flatMap((g) => g.alts.filter((a) => a.typed || !typedOnly).flatMap((a) => a.terms))
      .filter((s) => s.length >= 2);
    let m;
    const re = new RegExp(WORD.source, "gu");
    while ((m = re.exec(text))) {
      const s = stem(m[0].toLowerCase());
      if (stems.some((q) => s === q || (q.length >= 4 && s.startsWith(q)) || (s.length >= 5 && s.includes(q) && q.length >= 5))) {
        return [m.index, m.index + m[0].length];
      }
    }
    return null;
  }

  function snippetNode(text, groups) {
    const at = findWord(text, groups, true) || findWord(text, groups);
    if (!at) {
      const cut = text.length > SNIPPET ? `${text.slice(0, SNIPPET).replace(/\s\S*$/, "")} …` : text;
      return [cut];
    }
    const start = Math.max(0, text.lastIndexOf(" ", Math.max(0, at[0] - 60)) + 1);
    const end = Math.min(text.length, start + SNIPPET);
    const before = (start > 0 ? "… " : "") + text.slice(start, at[0]);
    const rest = text.slice(at[1], end).replace(end < text.length ? /\s\S*$/ : /$^/, "");
    return [before, el("mark", { className: "highlighted" }, text.slice(at[0], at[1])), rest + (end < text.length ? " …" : "")];
  }

  async function fillSnippet(item, hit, groups) {
    let text = hit.d;
    if (hit.k === "seite" || hit.k === "uebersicht" || hit.k === "schlagwort") {
      const blocks = await pageBlocks(hit.u);
      text = blocks.find((b) => findWord(b, groups, true)) || blocks.find((b) => findWord(b, groups)) || hit.d || blocks[0] || "";
    }
    item.replaceChildren(...snippetNode(text, groups));
  }

  function count(n) {
    if (n === 0) return "Die Suche ergab keine Treffer.";
    return n === 1 ? "Die Suche ergab einen Treffer." : `Die Suche ergab ${n} Treffer.`;
  }

  let current = 0;
  const observer =
    "IntersectionObserver" in window
      ? new IntersectionObserver(
          (entries) => {
            for (const entry of entries) {
              if (!entry.isIntersecting) continue;
              observer.unobserve(entry.target);
              entry.target.kbFill();
            }
          },
          { rootMargin: "200px" },
        )
      : null;

  async function run(query) {
    const ticket = ++current;
    const box = document.getElementById("search-results");
    const summary = box.querySelector(".search-summary");
    const list = box.querySelector("ul.search");
    if (!query.trim()) {
      list.replaceChildren();
      summary.textContent = "";
      return;
    }
    await load();
    if (ticket !== current) return;
    const { results, partial, groups } = search(query);
    const items = results.map(({ doc }) => {
      const hit = doc.hit;
      const context = el("p", { className: "context" }, ...snippetNode(hit.d || "", groups || []));
      const li = el("li", { className: `kb-treffer kb-treffer-${hit.k}` }, el("a", { href: hit.u }, title(hit)), context);
      // The page text is fetched only for results that come into view (each page once).
      li.kbFill = () => fillSnippet(context, hit, groups);
      if (observer) observer.observe(li);
      else li.kbFill();
      return li;
    });
    if (observer) for (const old of list.children) observer.unobserve(old);
    list.replaceChildren(...items);
    let text = count(results.length);
    if (!results.length) text += " Bitte prüfen Sie die Schreibweise oder versuchen Sie ein anderes Wort.";
    else if (partial) text += " Keine Seite enthält alle Suchwörter; oben stehen die Seiten, die die meisten davon enthalten.";
    summary.textContent = text;
    box.dataset.query = query; // done: the list and the count line belong to this query
  }

  function init() {
    const form = document.getElementById("kb-suche-form");
    const field = document.getElementById("kb-suche-feld");
    if (!form || !field) return;
    const query = new URLSearchParams(window.location.search).get("q") || "";
    field.value = query;
    if (!query) load(); // the index is ready by the first keystroke
    // Coming from the search link in the phone header (search.html#kb-suche-feld): straight into the field.
    const focusFromLink = () => {
      if (window.location.hash === "#kb-suche-feld") field.focus();
    };
    focusFromLink();
    window.addEventListener("hashchange", focusFromLink);
    const update = () => {
      const url = new URL(window.location.href);
      url.searchParams.set("q", field.value);
      window.history.replaceState(null, "", url);
      run(field.value);
    };
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      update();
    });
    let timer = 0;
    field.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(update, 80);
    });
    run(query);
  }

  // For measurements (benchmarks/search.py) and debugging in the browser console.
  window.KBSearch = { load, search, analyse };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
