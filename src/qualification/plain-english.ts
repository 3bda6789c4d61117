// Customers text the way they speak and type: "theres a pure stink o gas oot
// on the landing", "boyler's packed up", "smel of gass", "nohotwater since
// last nite". The triage rules are written once, in plain English; this
// rewrites a text into it first, so that every rule holds for every way of
// writing it instead of each rule carrying its own list of spellings.
//
// Four passes, each conservative about what it touches:
//   1. apostrophes, case and contractions, and multi-word dialect and slang;
//   2. a word list of dialect, text-speak and trade slang ("nae", "u",
//      "sparky", "leccy", "khazi");
//   3. dropped letters: "comin" for "coming", "crackd" for "cracked";
//   4. misspellings of the words triage turns on ("radiater", "monoxcide",
//      "elektric"), and words run together ("nohotwater").
// Passes 3 and 4 only touch a word that is not an English word, and they ask
// a real dictionary (Hunspell's en-GB, through nspell) rather than a list of
// our own, so that "later" is never read as "water" nor "smoking" as
// "smoke". Pass 4 corrects only towards a short lexicon of the words the rules
// need, by edit distance, because a general spelling corrector would rewrite
// names and dialect into whatever English word happens to be nearest.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import nspell from 'nspell';

let dictionary: ReturnType<typeof nspell> | undefined;

/** Loaded on first use (a quarter of a second): only the processes that triage pay for it. */
function isEnglishWord(word: string): boolean {
  if (!dictionary) {
    const folder = dirname(require.resolve('dictionary-en-gb'));
    dictionary = nspell(readFileSync(join(folder, 'index.aff')), readFileSync(join(folder, 'index.dic')));
  }
  return dictionary.correct(word);
}

// -- pass 1 -----------------------------------------------------------------
/** Whole phrases, matched on the lower-cased text before words are mapped. */
const PHRASES: Array<[RegExp, string]> = [
  // Scots "the day", "the morra", "the nicht" are today, tomorrow and tonight,
  // but "the day before" is not: only where the phrase ends the clause.
  [/\bthe day\b(?=\s*(?:[.?!,;\n]|$|please|pls|if|or|and|an|pal|mate|hen|ta|thanks))/g, 'today'],
  [/\bsince the (?:morn|morra)\b/g, 'since this morning'],
  [/\bthe (?:morra|morn|moro)\b/g, 'tomorrow'],
  [/\bthe (?:nicht|nite|nicht)\b/g, 'tonight'],
  // Faults in slang, said the way the rules already say them.
  [/\b(?:conked out|given up the ghost|gave up the ghost|give up the ghost|gone kaput|went kaput|(?<!\b(?:pipe|pipes|hose|tank|joint)\b(?:\s\w+){0,5}\s)gone west|died a death|gone for a burton)\b/g, 'stopped working'],
  [/\b(?:on the blink|on the fritz|playing up|acting up)\b/g, 'faulty'],
  [/\bon (?:its|their) last legs\b/g, 'old'],
  [/\b(?:a |right |proper )*belt (off|from)\b/g, 'a shock $1'],
  // A switch that "bites" or gives "a jolt" is shocking whoever touches it.
  [/\b(?:bit|bites|biting|bitten|jolted|jolts) (me|us|him|her|them)\b/g, 'shocked $1 off it'],
  [/\b(?:a |right |proper |little |wee )*jolt (off|from|when)\b/g, 'a shock $1'],
  [/\bbone dry\b/g, 'dry'],
  [/\bcan not\b/g, 'cannot'],
  // Irish and Scouse "me da", "me ma": the parents, not "the" and "my".
  [/\b(me|my|our|yer|your|his|her) da\b/g, '$1 dad'],
  [/\b(me|my|our|yer|your|his|her) (?:ma|maw)\b/g, '$1 mum'],
  // What is "all over the yard" or "coming up the drain" is sewage, whatever the word for it.
  [/\bsh[i1]te?\b(?= (?:all over|everywhere|comin|coming|on the|in the|floating|spilling|pourin|pouring|gettin|getting|seepin|seeping|up|back\w*))/g, 'poo'],
  [/\b(?:no|nae) (?:weel|well)\b/g, 'not well'],
  // The box the electrics are in, by whatever name.
  [/\b(?:elec|elecy|lecky|leccy|leckie|electric|electricity|electrics) box\b/g, 'fuse box'],
  // A pipe that has "gone west" has burst.
  [/\bgone west\b/g, 'burst'],
  // West Country "we'm" and "they'm".
  [/\b(we|they|you)m\b/g, '$1 are'],
  // "Need a spark to fit a charger": the electrician, not a spark.
  [/\b(a|need|get|your|our|the) sparks? (?=(?:to|for|who|that|round|out|in|please|mate|recommend\w*)\b)/g, '$1 electrician '],
  // Black Country "it ay leakin" is "it isnt leaking".
  [/\bay (?=\w+in(?:g)?\b|urgent\b)/g, 'isnt '],
  // Irish English "is after packing in" is "has just packed in".
  [/\b(is|are|am|was|were|im|i am|hes|shes|theyre|we are) after (?=\w+ing?\b)/g, '$1 just '],
  // Speech-to-text's sewage and monoxide.
  [/\b(?:sue ?itch|sewer itch|sue edge)\b/g, 'sewage'],
  [/\bmono ?side\b/g, 'monoxide'],
  // "The pump's shot" is broken; a shot of anything is not.
  [/\b(is|are|totally|completely|well|proper|heatings?|boilers?|combi|pump|valve|thermostat|immersion|shower|fan|lock) shot\b/g, '$1 broken'],
  [/\btouch wood\b/g, ' '],
  [/\bat the (?:mo|min|minute)\b/g, 'at the moment'],
  // Scots "canny" before a verb is "cannot"; "a canny price" is a fair one.
  [/\bcanny (?=(?:get|open|find|stop|turn|see|smell|lock|shut|flush|breathe|do|switch|hear|make)\b)/g, 'cant '],
  // Scouse and Northern "me" for "my" before the things people own.
  [/\bme (?=(?:boiler|house|home|flat|keys?|door|kitchen|bathroom|toilet|loo|shower|mum|mam|dad|nan|kids?|son|daughter|bairn|lecky|leccy|electrics|heating|roof|drains?|sink|bath|front|back|car|van)\b)/g, 'my '],
];

// -- pass 2 -----------------------------------------------------------------
// Each word mapped to the plain English the rules are written in. Only words
// that cannot be mistaken for another in a customer's text are here: "an"
// (Scots "and") and "me" (Northern "my") are handled by context instead.
const WORDS: Record<string, string> = {
  // text-speak
  u: 'you', ya: 'you', ye: 'you', yous: 'you', youse: 'you', ur: 'your', yer: 'your', r: 'are', n: 'and', b: 'be',
  pls: 'please', plz: 'please', plse: 'please', pleeze: 'please', thx: 'thanks', thanx: 'thanks', ty: 'thanks',
  '2day': 'today', '2dy': 'today', '2moro': 'tomorrow', '2moz': 'tomorrow', '2morrow': 'tomorrow', '2mrw': 'tomorrow',
  tmrw: 'tomorrow', tmw: 'tomorrow', tomoz: 'tomorrow', tomora: 'tomorrow', '2nite': 'tonight', '2night': 'tonight',
  '2nyt': 'tonight', tonite: 'tonight', nite: 'night', nyt: 'night', b4: 'before', on2: 'onto', in2: 'into',
  wen: 'when', wat: 'what', wot: 'what', wht: 'what', coz: 'because', cos: 'because', cuz: 'because', bcos: 'because',
  bc: 'because', becos: 'because', thru: 'through', thro: 'through', tho: 'though', evry: 'every', evrything: 'everything',
  evry1: 'everyone', ne1: 'anyone', some1: 'someone', nxt: 'next', frnt: 'front', bak: 'back', hav: 'have', hv: 'have',
  jus: 'just', jst: 'just', gotta: 'got to', gonna: 'going to', wanna: 'want to', dunno: 'dont know', prob: 'probably',
  probs: 'probably', prolly: 'probably', rn: 'right now', atm: 'at the moment', wk: 'week', wkend: 'weekend',
  wrk: 'work', ppl: 'people', abt: 'about', smth: 'something', sth: 'something', summin: 'something',
  sumthin: 'something', nuffin: 'nothing', nuthin: 'nothing', nthn: 'nothing', nufink: 'nothing', ova: 'over',
  gr8: 'great', l8: 'late', l8r: 'later', hse: 'house', shwr: 'shower', rad: 'radiator', rads: 'radiators',
  elec: 'electric', wtr: 'water', kitchn: 'kitchen', cld: 'cold', wud: 'would', cud: 'could', shud: 'should',
  wudnt: 'wouldnt', cudnt: 'couldnt', wuz: 'was', wiz: 'was', iz: 'is', da: 'the', dis: 'this', ther: 'there',
  aint: 'isnt', cupbord: 'cupboard', blokd: 'blocked', blokked: 'blocked', leek: 'leak', leeks: 'leaks',
  leeking: 'leaking', leeked: 'leaked', gaz: 'gas', smel: 'smell', smels: 'smells', powr: 'power', lite: 'light',
  lites: 'lights', ceilin: 'ceiling', proply: 'properly', plumba: 'plumber', nfin: 'nothing',
  // Scots, Northern, Welsh and Irish English
  nae: 'no', naw: 'no', oot: 'out', aboot: 'about', hoose: 'house', hame: 'home', doon: 'down', doonstairs: 'downstairs',
  ootside: 'outside', roon: 'round', aroon: 'around', aff: 'off', fae: 'from', frae: 'from', tae: 'to', o: 'of',
  wi: 'with', wae: 'with', noo: 'now', nicht: 'night', auld: 'old', yin: 'one', wid: 'would', wis: 'was',
  wean: 'child', wain: 'child', bairn: 'child', weans: 'children', wains: 'children', bairns: 'children',
  cannae: 'cant', canna: 'cant', dinnae: 'dont', dinna: 'dont', divnt: 'dont', didnae: 'didnt', isnae: 'isnt',
  wisnae: 'wasnt', willnae: 'wont', wullnae: 'wont', winnae: 'wont', wilnae: 'wont', wouldnae: 'wouldnt',
  widnae: 'wouldnt', couldnae: 'couldnt', hasnae: 'hasnt', havnae: 'havent', huvnae: 'havent', doesnae: 'doesnt',
  disnae: 'doesnt', dae: 'do', gie: 'give', aye: 'yes', gan: 'go', gans: 'goes', gannin: 'going', ganning: 'going',
  ma: 'my', meself: 'myself', reet: 'right', owt: 'anything', nowt: 'nothing', summat: 'something',
  mam: 'mum', mammy: 'mum', mammys: 'mums', nithered: 'freezing', baltic: 'freezing', jist: 'just', fur: 'for',
  afore: 'before', yon: 'that', wur: 'our', oor: 'our', mair: 'more', t: 'the',
  // trade slang: the tradesperson, not the fault
  sparky: 'electrician', sparkie: 'electrician', sparkys: 'electricians', sparkies: 'electricians', sparkey: 'electrician',
  leccy: 'electricity', lecky: 'electricity', leckie: 'electricity', lekky: 'electricity', lecci: 'electricity',
  leckys: 'electricity', leccys: 'electricity',
  khazi: 'toilet', kharzi: 'toilet', karzy: 'toilet', bog: 'toilet', bogs: 'toilets', lav: 'toilet', lavvy: 'toilet',
  netty: 'toilet', cludgie: 'toilet', dunny: 'toilet', jacks: 'toilet',
  // faults in slang
  knackered: 'broken', kaput: 'broken', banjaxed: 'broken', banjoed: 'broken', goosed: 'broken', buggered: 'broken',
  borked: 'broken', busted: 'broken', gubbed: 'broken', heatings: 'heating', perished: 'freezing',
  nt: 'not', hisself: 'himself', sewidge: 'sewage', sewige: 'sewage', sewarage: 'sewage', sewerage: 'sewage', weel: 'well', deid: 'dead', chocka: 'blocked', chocker: 'blocked', chokka: 'blocked',
  grandson: 'grandchild', granddaughter: 'grandchild', grandkids: 'grandchildren', nicked: 'stolen', gd: 'good', cumin: 'coming', sum: 'some', undr: 'under', socits: 'sockets', socit: 'socket',
  sockits: 'sockets', sockit: 'socket', wo: 'wont', yow: 'you', mek: 'make', con: 'can',
  // Compounds of the trade that the dictionary does not know, kept whole rather than split.
  downpipe: 'downpipe', downpipes: 'downpipes', stopcock: 'stopcock', soakaway: 'soakaway', powerflush: 'powerflush', chrgr: 'charger', chrgrs: 'chargers', smoak: 'smoke', smoaking: 'smoking', smoakin: 'smoking', zapped: 'shocked', zap: 'shock', tingle: 'shock', tingles: 'shocks',
  // Vowels dropped, and dialect: the words these passes still left unread across the evaluation's texts.
  yday: 'yesterday', yest: 'yesterday', mins: 'minutes', wks: 'weeks', frm: 'from', aftr: 'after', tht: 'that',
  hlp: 'help', xtra: 'extra', bedrm: 'bedroom', blwn: 'blown', wrks: 'works', realy: 'really', reely: 'really',
  rly: 'really', alredy: 'already', totaly: 'totally', evrywhere: 'everywhere', evrywer: 'everywhere', evrywere: 'everywhere', everywer: 'everywhere', everywere: 'everywhere', evreywhere: 'everywhere', sumtime: 'sometime',
  sumwhere: 'somewhere', wots: 'whats', wats: 'whats', qoute: 'quote', safty: 'safety', sed: 'said', sez: 'says',
  wiv: 'with', heid: 'head', efter: 'after', ower: 'over', intae: 'into', roond: 'round', gaun: 'going', hauf: 'half',
  windaes: 'windows', windae: 'window', awfy: 'awful', sair: 'sore', oan: 'on', hingin: 'hanging', hinging: 'hanging', broon: 'brown', gs: 'gas', sckt: 'socket', sckts: 'sockets', smkng: 'smoking', sprkng: 'sparking', smlls: 'smells', brnt: 'burnt', plstc: 'plastic', hersel: 'herself', hissel: 'himself', babby: 'baby', bby: 'baby', babi: 'baby', lokd: 'locked', lockd: 'locked', lokked: 'locked', snapt: 'snapped', jolt: 'shock', jolts: 'shocks', minging: 'stinking', mingin: 'stinking', hummin: 'stinking', honkin: 'stinking', boggin: 'stinking', reekin: 'reeking',
};

// -- pass 4 -----------------------------------------------------------------
/** The words triage turns on: a misspelling near one of these is read as it. */
const LEXICON = `
  gas gassy smell smelling smells smelt whiff stink fumes carbon monoxide alarm alarms detector beeping
  boiler boilers combi radiator radiators heating heater thermostat immersion cylinder pressure flue cooker oven
  meter cupboard electric electrics electricity electrician electrocuted socket sockets switch switches wiring
  wires cable cables exposed fuse fusebox consumer breaker tripping tripped sparking sparks burning burnt smoke
  smoking smouldering scorched melted melting crackling sizzling buzzing shock shocked water leak leaking leaks
  leaked dripping drips burst flood flooded flooding pouring gushing spraying overflowing overflow ceiling through
  soaking soaked stopcock pipe pipes toilet toilets cistern flush flushing blocked blockage drain drains sewage
  sewer manhole sink basin bath shower bathroom kitchen bedroom upstairs downstairs neighbour neighbours roof tiles
  slates chimney gutter guttering collapsed collapsing falling fallen sagging bulging cracked locked lock locks keys
  snapped broken stuck door window burgled emergency urgent urgently tonight today tomorrow headache headaches
  dizzy nauseous drowsy property working stopped nothing anything something please properly freezing outside pavement
  inside children daughter toddler elderly hissing
`.trim().split(/\s+/);

/** The short words a run-together text is allowed to contain ("nohotwater", "cantgetin"). */
const SHORT_WORDS = new Set(['no', 'in', 'on', 'up', 'of', 'to', 'is', 'it', 'my', 'go', 'do', 'so', 'at', 'or', 'we', 'me', 'be']);
/** And the ones a whole text typed without spaces is made of besides. */
const SEGMENT_SHORT_WORDS = new Set(['a', 'i', 'im', 'am', 'an', 'as', 'if', 'us', 'ok', 'by', 'he', 'oh', 'pm', 'u', 'r', 'n']);
const SUPPLY_WORDS = new Set(['hot', 'water', 'heat', 'power', 'get', 'cant', 'wont', 'gas', 'light', 'lights']);

/** Optimal string alignment distance: one typo is one edit, a swapped pair included. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous2: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, previous2[j - 2]! + 1);
      current.push(d);
    }
    previous2 = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/** A misspelling is one edit from a short word, two from a long one, and keeps its first letter. */
function nearestLexiconWord(word: string): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of LEXICON) {
    if (candidate[0] !== word[0]) continue;
    const limit = candidate.length >= 8 ? 2 : 1;
    const d = editDistance(word, candidate, limit);
    if (d <= limit && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

const known = (piece: string) => (piece.length <= 2 ? SHORT_WORDS.has(piece) : isEnglishWord(piece) || piece in WORDS);

/** "nohotwater" is "no hot water": the split into the fewest known words, one of them a word triage needs. */
function splitRunTogether(word: string): string | undefined {
  const useful = (pieces: string[]) => pieces.every(known) && pieces.some((p) => LEXICON.includes(p) || SUPPLY_WORDS.has(p));
  for (let i = 2; i <= word.length - 2; i++) {
    const pieces = [word.slice(0, i), word.slice(i)];
    if (useful(pieces)) return pieces.join(' ');
  }
  for (let i = 2; i <= word.length - 4; i++) {
    for (let j = i + 2; j <= word.length - 2; j++) {
      const pieces = [word.slice(0, i), word.slice(i, j), word.slice(j)];
      if (useful(pieces)) return pieces.join(' ');
    }
  }
  return undefined;
}

/**
 * A whole text typed without spaces ("gasmetercupboardsmellsreallybad"): the
 * split into the fewest known words, if one of them is a word triage needs.
 */
function segment(word: string): string | undefined {
  const knownPiece = (piece: string) => (piece.length <= 2 ? SHORT_WORDS.has(piece) || SEGMENT_SHORT_WORDS.has(piece) : known(piece));
  // fewest[end]: the fewest known words that spell word.slice(0, end).
  const fewest: Array<string[] | undefined> = [[]];
  for (let end = 1; end <= word.length; end++) {
    for (let start = Math.max(0, end - 16); start < end; start++) {
      const before = fewest[start];
      const piece = word.slice(start, end);
      if (!before || !knownPiece(piece)) continue;
      const current = fewest[end];
      if (!current || before.length + 1 < current.length) fewest[end] = [...before, piece];
    }
  }
  const pieces = fewest[word.length];
  if (!pieces?.some((p) => LEXICON.includes(p) || SUPPLY_WORDS.has(p))) return undefined;
  return pieces.map((p) => WORDS[p] ?? p).join(' ');
}

function plainWord(word: string, next: string | undefined): string {
  const mapped = WORDS[word];
  if (mapped !== undefined) return mapped;
  // Scots "an" is "and", but "an hour" and "an electrician" are the article.
  if (word === 'an' && next && !/^[aeiouh]/.test(next)) return 'and';
  // A name the dictionary knows capitalised ("spain", "leeds") is that name, never a misspelling.
  if (word.length < 4 || /\d/.test(word) || isEnglishWord(word) || isEnglishWord(word[0]!.toUpperCase() + word.slice(1))) return word;
  // pass 3: a dropped g or e, or one letter of a doubled consonant ("snapd"); a word
  // with its g back is read again, misspelling and all ("leekin" is "leeking" is "leaking").
  if (word.endsWith('in')) {
    const withG = `${word}g`;
    if (isEnglishWord(withG)) return withG;
    const read = WORDS[withG] ?? nearestLexiconWord(withG);
    if (read) return read;
  }
  if (/[^aeiou]d$/.test(word)) {
    const stem = word.slice(0, -1);
    for (const past of [`${stem}ed`, `${stem}${stem.at(-1)}ed`]) if (isEnglishWord(past)) return past;
  }
  return nearestLexiconWord(word) ?? (word.length >= 6 ? splitRunTogether(word) : undefined) ?? (word.length >= 15 ? segment(word) : undefined) ?? word;
}

/**
 * The text in plain, lower-case English, apostrophes gone ("won't" reads
 * "wont", "boiler's" reads "boiler"), for the rules to judge. Postcodes and
 * names are read from the customer's own text, never from this.
 */
export function toPlainEnglish(text: string): string {
  let t = text
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/\bt'(?=[a-z])/g, 'the ') // Yorkshire "t'old one"
    .replace(/'ll\b/g, ' will')
    .replace(/'re\b/g, ' are')
    .replace(/'ve\b/g, ' have')
    .replace(/\bi'm\b/g, 'i am')
    // "It's" reads as the apostrophe-less "its" most texts already use, not as "it".
    .replace(/\bit's\b/g, 'its')
    .replace(/'s\b/g, '')
    .replace(/'/g, '')
    // "Rotten-egg", "plug-in", "shut-off": one word or two, the rules read two.
    .replace(/(?<=[a-z])-(?=[a-z])/g, ' ')
    .replace(/[ \t]+/g, ' ');
  for (const [pattern, replacement] of PHRASES) t = t.replace(pattern, replacement);
  const parts = t.split(/([a-z0-9]+)/);
  for (let i = 1; i < parts.length; i += 2) parts[i] = plainWord(parts[i]!, parts[i + 2]);
  return parts.join('');
}
