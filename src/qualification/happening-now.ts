// What a text says is happening now. Customers mention hazards they do not
// have: denied ("no burning smell or anything"), over ("had a gas smell last
// winter, all fine now"), feared ("before it goes kaput") or asked about ("do
// you do 24hr emergency callouts?"). Those parts are blanked out of the
// (already plain-English) text before the rules look for hazards, so a rule
// only ever fires on a hazard the customer says they have. The blanking is by
// clause: a denial reaches as far as the clause it governs, so "no leaks but
// water is coming through the ceiling" keeps its second half.

const MONTHS = 'january|february|march|april|may|june|july|august|september|october|november|december';

/** A clause boundary: end of sentence, or a turn in what is being said. */
const CLAUSE = /([.!?;:\n]+|,|\s(?:but|though|although|however|whereas|except|apart from|other than|just|anyway)\s)/;

// -- over and done with -----------------------------------------------------
// Long enough ago to be history on its own ("last winter", "back in March").
// "last night", "yesterday" and "this morning" are not: they usually say when
// a fault still going began.
const LONG_AGO = new RegExp(
  String.raw`\b(\w+ (years?|months?|weeks?) ago|a (while|few (weeks|months|years)) (ago|back)|last (week|month|year|summer|winter|spring|autumn|christmas|easter|${MONTHS})|back in (the|(19|20)\d\d|${MONTHS})|in (${MONTHS})\b(?! (\d|this|next))|in (19|20)\d\d|in the past|previously|(?<!than (it|they|we|i|he|she) )used to(?! be\b)|from (last )?(${MONTHS})|once before|years back)\b`,
);
// Named supplies only: "it comes back when we're in the kitchen" is a symptom returning.
const SUPPLY = String.raw`\b(power|electricity|electrics|lights|water|hot water|heating)`;
const SUPPLY_RESTORED = String.raw`(${SUPPLY} (has |have )?(came|come|comes)|\bit (has )?came) back\b(?! (again|up|through|into|out|down|when|whenever|every))`;
// The fault has gone: fixed by someone, came back by itself, or was something else.
const RESOLVED = new RegExp(
  [
    String.raw`\b(you|they|he|she|we|i|someone|somebody|engineer|plumber|electrician|roofer|locksmith|man|fella|bloke|guy|company|landlord|council|cadent|gas board|water board|water company|husband|wife|partner|dad|son|brother|neighbou?r|mate|who)( (?!(need|needs|needed|want|wants|wanted|like|to|get|getting|have|would|could|can|will|must)\b)\w+){0,2} (fixed|sorted|repaired|mended|resolved|cleared|unblocked|patched|replaced|fitted(?! (on|in|to|next to|by|above|below) (the|a|our|my) )|rewired|rodded|capped|isolated|strapped|secured|propped|braced|boarded|resealed|sealed|tightened|condemned)\b`,
    String.raw`(?<!\b(unless|until|till|til|if|when|once|before|so|sure|need|needs|want|get|make)( that)? )\b(its|it is|now|all) (secure|safe|made safe)\b`,
    // Made safe by someone else and waiting for a repair.
    String.raw`\b(made safe|capped( it)? off|taped (it )?(over|up)|switched off at the (board|mains|fuse ?box|consumer unit)|isolated)\b`,
    // "Ignore that, found the key in my coat": the first text was a false alarm.
    String.raw`\b(found (the|my|our) keys?|ignore (that|my last|the last)|false alarm|panic over)\b`,
    String.raw`(?<!\b(until|till|til|when|once|before) )\b(was|were|been|got|had|has|have|get|gets|is|are|its|all) (\w+ )?(fixed|sorted|repaired|mended|resolved|cleared|unblocked|patched|replaced)\b(?! (asap|today|tonight|urgently|quickly|soon|now|please))`,
    String.raw`\bthanks? (you )?(for|4) (fixing|sorting|repairing|unblocking|coming)\b|\b(insurance|insurers)( \w+)? (sorted|fixed|repaired)\b`,
    String.raw`\bgot it (going|working|flowing|sorted|cleared|unblocked|back on|to stop|stopped)\b`,
    String.raw`\b(and|then) (sorted|fixed|repaired|mended|cleared|unblocked)( it| that| them)?\b`,
    String.raw`\b(all|its|it is|everything|now) (flowing|draining|flushing|working|running|going)( fine| ok| okay| normally)? (again|now)\b`,
    String.raw`\b(its|it is|all|everything) (flowing|draining|flushing|working|running) (fine|ok|okay|normally|well)\b`,
    String.raw`\bno (\w+ )?(smell|leak|drip|sparks?|smoke|burning)( \w+)? (now|any ?more)\b`,
    String.raw`\b(turned|turns) out (to be|it was|that|the)\b(?! (smell|water|noise|leak|drip|problem|fault|damp)( \w+){0,2} (is|was) (because|from|coming|caused))|\b(been|stayed|gone) (\w+ )?(silent|quiet) (since|ever since)\b|\bheld (up )?(fine|ok|okay|well)\b|(?<!\b(not|never|hasnt|havent|hadnt) )(?<!\b(hot water|heating|water|power|electrics?|lights|boiler|shower|supply)( \w+){0,3} )\b(has |have )?stopped since\b|\bit was (just|only) (the|a)\b`,
    String.raw`(?<!\b(flick|put|switch|turn|push|reset|flicking|putting|switching|turning|pushing)( \w+)? )\b(came|come|comes|went|gone|is|its|been|it) back on\b|\bback to normal\b|${SUPPLY_RESTORED}`,
    String.raw`\b(stopped|gone|sorted|fixed|cleared) (after|when|since|once) (i|we|he|she|they|you)\b|\b(sorted|cleared|fixed|unblocked|righted) (itself|themselves)( out)?\b`,
    String.raw`(?<!\btaps?( \w+){0,2} )\b(all|been|its|it|is|are|now|working|flushing|draining|heating|flowing|running|fine|dry|everything)( (?!(not|no|never|nae)\b)\w+){0,2} (fine|ok|okay|grand|good|dry|normal) (now|since|again|ever since)\b`,
    // Taps "dry since first thing" are a supply that has stopped, not a leak that has.
    String.raw`(?<!\btaps?( \w+){0,2} )\b(been|stayed|its|it is|all|everything|is|are|now)( \w+)? (fine|ok|okay|grand|dry|good|working|normally)( all (day|night|week|morning|evening))?( ever)? since\b`,
    // "It stopped once the rain did and it has been dry all week."
    String.raw`\b(its|it is|all|now|has|have|it has) (all )?dried (out|up)\b|\b(stopped|dried up) (once|when|after) (the rain|it)\b|\b(been|stayed|kept) (\w+ )?dry (all|for|ever since)\b`,
    // "Locked myself out yesterday, got in through the kitchen window in the end."
    // "We're all fine" is the people, not the fault.
    String.raw`(?<!\b(we|were|we are|they|theyre|they are|kids are|everyone|everyones|were all|we re) )\ball (good|sorted|fine)( now| in the end)?\b|\b(neighbou?r|someone|friend|landlord|partner)( \w+)? (had|has|brought|dropped)( \w+)? (a |the )?spare\b|\b(cleared|unblocked) (now|since)\b|\b(now )?(running|flowing|draining|flushing) (fine|ok|okay|normally|freely)\b|\b(binned|thrown away|got rid of) (it|them|the \w+)\b|(?<!\b(they|burglars?|someone|somebody|thieves|he|she|the \w+)( must have| have| had)? )\b(got|managed to get|did get) (back )?in (through|via|in the end|eventually)\b|\bgot (her|him|them|it|the (?!(kids|children|family|dog|dogs|pets|baby|babies)\b)\w+) out\b(?! (in the|the (front|back)|of (the )?(house|flat|home|building|kitchen|room|place)|outside|into the (garden|street)|to safety))`,
    // An appliance disconnected or out of use cannot be the danger it looks like.
    String.raw`\b(been |was |is )?(disconnected|decommissioned|capped off)\b|\bnot (been )?used (for|since|in)\b`,
    // "Not had a leak since", but never "no hot water since last night": that is a fault still going.
    // What has not happened since is a fault ("not had a leak since"), never a supply or a sound that has not stopped.
    String.raw`\b(not had|hasnt|havent|hadnt|never)( (a|any|the|one|another|more|been|had))*( \w+)? (leak\w*|drip\w*|problems?|issues?|trouble|bother|smell\w*|whiff\w*|blockages?|block\w*|tripp\w*|spark\w*|burst\w*|flood\w*|faults?|damp|go(ne)? wrong|played up|missed a beat)( \w+)? since\b|\bno (\w+ )?(leaks?|drips?|problems?|issues?|trouble|bother|smells?|whiffs?|sign of \w+|more \w+)( \w+)? since\b|\bno (water|rain)( has| s)? (come|got|leaked|dripped|came)( in| through)? since\b`,
    // "He's fine now" is the person, not the fault.
    String.raw`(?<!\b(he|she|they|hes|shes|theyre|i|im|we|were|everyone|everyones|kids|baby|dog|cat)( is| are| s| am| feels?| seems?| looks?)? )\b(dry|fine|ok|okay|grand|sorted|gone|stopped|in) (now|at the moment)\b`,
    String.raw`\b(still )?work(s|ing) (fine|ok|okay|perfectly|great)\b`,
    String.raw`\bfound nothing\b|\bnothing (was )?found\b|\b(been|was) nothing (since|for)\b`,
    // "Just realised it's the kids splashing": the cause was never a fault.
    String.raw`\b(it|its|it is|it was) (just |only )?the (kids|children|dog|cat|condensation|toaster|kettle|iron|hairdryer|heater|oven|cooker|grill)\b|\b(thrown|threw) (it|them|the \w+) (out|away)\b`,
    // A smoke alarm set off by the cooking, an alarm's green light: nothing wrong.
    String.raw`\bwhen (i|we|he|she|they|someone) (burnt|burned) (the |my |some |our )?(toast|dinner|tea|food|pizza|bacon|chips|sausages|pan)\b|\b(flash\w*|blink\w*|light\w*) (up )?green\b|\bgreen (light|led)\b`,
    String.raw`\b(tightened|plunged|reset|bled|unplugged|binned|cleaned)( \w+){0,3} and (it|its|the \w+)( has| is)? (stopped|gone|fine|working|sorted)\b`,
    // An alarm set off by its own test button is working, not warning.
    String.raw`\b(pressed|press|pressing|pushed|push|hit|held)( \w+){0,2} test( button)?\b|\btest button\b`,
    String.raw`\b(been|stayed) (\w+ )?(fine|ok|okay|grand|good|working|normal|dry)( \w+)? (for (\w+ )?(days?|weeks?|hours|a (day|week|while))|all (day|night|week|morning|evening))\b`,
    String.raw`\bstill (got|have) (heat|heating|hot water) and (heat|heating|hot water)\b|\bnothing( is| s)? (leaking|dripping|coming (out|through))( now| any ?more)\b|\bstill (limping|chugging|plodding|ticking) along\b|\b(partner|neighbou?r|someone|somebody|wife|husband|landlord|friend|mum|mam|dad|son|daughter|flatmate)( \w+)? (let|got) (me|us) (back )?in\b|\bgot (it|the door|him|her|them|the lock) open\b|\b(cleared up|gone away|disappeared|eased)( completely| totally)? since\b`,
  ].join('|'),
);
// ...unless it is back: "It's just done it again". Power, water or heat that
// "came back" is the opposite: the supply restored.
const BACK_NOW = new RegExp(
  String.raw`\b((?<!\b(working|going|flowing|running|draining|flushing|fine|ok|on|heating) )(?<!\b(send|sent|resend|email|text|ring|call|phone|do|check|try|come|look|say|explain|repeat|book|use|thanks|thank you|cheers)( \w+){0,3} )(?<!\b(blue|normal|dry|quiet|clear|clean|fine|working)( \w+)? )again|(?<!(${SUPPLY}|\bit) (has |have )?)came back|(?<!${SUPPLY} (has |have )?)(?<!\b(never|not|hasnt|havent|hadnt|didnt|wont|hasnt ever) )(?<!\b(could|can|will|would|please) (he|she|you|they|someone|somebody|the \w+) )come back|its back|(smell|leak|drip|whiff|stink|noise|fault|problem)( is| s| has)? back)\b(?! on)`,
);
// "The rain's stopped now but there's still water dripping": over, but not all of it.
// "They say it's all fixed their end": the water board's repair, not the customer's supply.
const THEIR_END = /\b(their|at their|on their) (end|side)\b/;
// "No hot water but the heating works fine": one supply gone while another works ends nothing.
const PART_WORKS = /\bno (hot water|heating|heat|power|water|lights)\b.*\b(works?|working) (fine|ok|okay|perfectly)\b/;
// "A smell like the gas was years ago" compares what is here now with the past.
const COMPARED = /\b(smell\w*|sounds?|looks?|same)( \w+){0,3} (like|as) (the|it|when|that|last|before)\b/;
// "Fitted the new hob last night and now the kitchen stinks", "like it since he fitted it": what came after the work is news.
const NOW_AFTER = /\b((is|are|s|keeps?|still) (going off|gannin off|beeping|sounding|leaking|dripping|sparking|smoking|tripping|hissing|overflowing|pouring|tingling|shocking)|since (the \w+ |he |she |they |you |we |someone |somebody |it was |they were )?(fitted|installed|put in|replaced|serviced|came|moved|swapped)|been like (it|that|this) since|(and|but) now|(?<!(fine|ok|okay|good|grand|dry|working|normal|sorted) )since then)\b(?! (its |it is |it has |all |everything |everythings )?(been )?(fine|ok|okay|good|grand|working|sorted|dry|normal))/;
// "The toilet's flushing fine though": something else that works, not the fault over.
const CONTRAST = /\b(though|tho|at least)\b/;
const STILL_GOING = /\bstill( \w+){0,3} (dripping|leaking|coming|running|pouring|going|tripping|blocked|cold|off|smell\w*|smok\w*|spark\w*|burn\w*|buzz\w*|hiss\w*|no|not|wont|cant)\b/;
const RETURNED = new RegExp(`${BACK_NOW.source}|\\bkeeps? (happening|doing it|coming back)\\b`);

// -- feared, not happening --------------------------------------------------
const HYPOTHETICAL = new RegExp(
  String.raw`\b((on call|cover(ed)?|available) for (gas leaks|leaks|floods|emergencies|burst pipes|lockouts)|keeps? ((locking (himself|herself|themselves|myself|ourselves|me|us|him|her|them)|getting (himself |herself |themselves )?locked) (out|in)|(losing|loosing) (\w+ )?keys?)|(scared|worried|afraid|terrified|frightened) (that )?(it will|itll|i will|ill|we will|well) (pack up|pack in|break|fail|stop working|give up|be stuck|get stuck|end up|jam)|before (it|they|the \w+|anything|something) (goes|go|does|do|breaks?|packs?|dies|die|fails?|gives?|starts?|gets?|happens?|stops?|leaks?|bursts?|blocks?|freezes?)|in case|if (it|they|there|the|you|we|ever|anything|(someone|somebody|anyone|people)(?! (could|can|would|is able|might|will|comes?|came))\b)\b|so (that )?(it|this|they|we|i)( \w+)? (cant|doesnt|wont|never|dont) (happen|do it|leak|break|burst|freeze|block|flood|get worse|come back|go again)|to (stop|prevent|avoid) (it|this|that|any|a|the)|(cant|doesnt|wont) happen again|(to|and) (stop|prevent|avoid) (\w+ ){0,3}(in (the )?future|again|happening)|(scared|worried|afraid|frightened) (that )?(next time |one day |soon )?(it|the \w+|they) (wont|will not|might not|may not|wont be able to) (lock|open|close|shut|work|turn)|if (my|our|the|a) (\w+ ){1,3}(went|goes|ever|were|did|broke|burst|started|failed|caught)\b|what (would|should|do) (you|i|we) do (if|when)\b|(would|will|do|can|could) you (come|come out|attend|respond|help|be able to \w+)( \w+){0,4} (if|when) (a|an|the|my|our|there|it|we|i)\b)`,
);

// -- asked about, not reported ----------------------------------------------
// A question about the service, not a report of a fault: all of it is blanked.
const SERVICE_QUESTION = new RegExp(
  [
    String.raw`^\s*(hi|hello|hiya|morning|afternoon|evening|quick question|just wondering|out of interest)?\W*\b(do|does|can|could|would|will) (you|your|yous|the)( guys| lot| company| firm| team)? (do|offer|cover|provide|have|supply|deal with|handle|work|take on|ever do|also do|do any|go out to)\b(?! (it |this |that |one )?(today|tonight|tomorrow|asap|now|this (morning|afternoon|evening|week)))`,
    String.raw`\b(do|does) (you|yous|your)( guys| lot| company| firm| team)? (test|check|sell|fit|install|service|inspect|certify)\b`,
    String.raw`\b(are|is) (you|your)( guys| lot| company| firm)? (24 ?(hours?|hrs?|7)|gas safe|registered|available|open|insured|niceic|approved|members?)\b`,
    String.raw`\bis (it|that) (normal|safe|common|usual|ok|okay|dangerous) (for|to|when|that|if)\b`,
    String.raw`\b(just (asking|wondering|curious)|for future reference|out of interest)\b|\b(whose|my|our|the landlords|the councils) responsibility\b`,
  ].join('|'),
);
// "Is it normal for my boiler to smell of gas?" asks about a smell the customer has now: gas is never asked about idly.
const GAS_ASKED_ABOUT = /\bis (it|that) (normal|safe|common|usual|ok|okay|dangerous)\b.*(\b(smel\w*|whiff\w*|stink\w*) (of |like )?gas\b|\bgas (smell|leak))/;
const REPORT_ON_IT = /^\s*((it|its|it is|they|theyre|they are|thats|this)\b.*\b\w+ing\b|(ours|mine)\b|(my|our) \w+|the (one|ones)\b)/;
// A price question: the urgency words in it describe a service, not this job.
const PRICE_QUESTION = /\b(how much|whats? (is )?(your|the) (price|rate|charge|cost|fee)s?|what do you charge|roughly how much|price (for|of)|cost (for|of))\b/;
const SERVICE_URGENCY_WORDS = /\b(emergency|emergencies|urgent|24 ?(hr|hrs|hour|\/7)|out of hours|call ?outs?|lockouts?|same day)\b/g;

// -- denied -----------------------------------------------------------------
const DENIAL = String.raw`(no|not|never|rather than|without|nothing|none|nobody|no one|noone|cant|cannot|couldnt|dont|doesnt|didnt|isnt|wasnt|arent|werent|hasnt|havent|hadnt|no sign of|not a sign of|no evidence of)`;
// What a customer denies having: hazards and faults, as nouns and states.
const DENIABLE = String.raw`(sewage|sewer|broke in|broken in|headaches?|dizz\w*|nause\w*|symptoms|leak\w*|drip\w*|damp\w*|wet|flood\w*|burst\w*|puddles?|spark\w*|smoke|smok\w*|burn\w*|scorch\w*|melt\w*|smell\w*|whiff\w*|odou?r|fumes|gas|live|shocks?|(wires?|wiring|cables?)( \w+)? (showing|exposed|out|hanging out)|exposed|(warm|hot)(?! water| tap)|(felt|feels?|feeling|been) (ill|sick|unwell|dizzy|poorly)|(coming|backing) (back )?up|(an )?emergency|urgent|break[- ]?ins?|broken into|burgl\w*|poo|come down|coming down|stuck|trapped|tripp?\w*|blocked|blockages?|bunged|clogged|overflow\w*|loose|leaning|sagg\w*|bulg\w*|bowing|dipping|hanging( off| down| loose)?|cracked|cracks|broken|problems?|trouble|issues?|wrong|fallen|falling|damage\w*|locked out|pouring|gushing|spraying|spurting|everywhere|heat(?=(,| or| and) (no|nor|nothing) )|letting (it |water |rain )?in|getting in|coming in|coming through(?! (the )?taps?)|water (on|under|near|round|around|anywhere|coming|leaking|getting|dripping|pooling|escaping|everywhere|on the floor)(?!( \w+)? (out of|out|from|through) (\w+ ){0,3}(taps?|shower))|alarms? (going off|sounding|beeping)|(has |have |had )?(gone|went) off|going off|lost (\w+ )?pressure)`;
const DENIED = new RegExp(
  String.raw`\b(?!(cant|cannot|couldnt) (get|keep)( \w+)? warm)${DENIAL}( (?!(stop|stopping|find|turn|shut|switch|control|keep)\b)\w+){0,3}? ${DENIABLE}\b( ${DENIABLE}\b)*(( ?,| or| and| nor)( no| not| nothing| any)?( \w+){0,2}? (${DENIABLE}|anything|owt|nothing|that|whatever|similar)\b)*|\b${DENIAL} (leaking|dripping|blocked|tripping|sparking|burning|smoking|live)\b|\b(not|isnt|arent|wasnt|werent|never|nothing)( \w+)? (warm|hot)\b(?! water)|\b(nowhere|not|nothing|no water) near (any |the )?(\w+ )?(lights?|sockets?|electrics|fuse ?box|switch\w*|wires?|wiring)(( or| and|,) (any |the )?(\w+ )?(lights?|sockets?|electrics|switch\w*|wires?))*|\baway from (any |the )?(\w+ )?(lights?|sockets?|electrics|fuse ?box|switch\w*|wires?|wiring)|\bno (electrics|sockets?|lights?|wiring|wires|switch\w*)( \w+){0,2} (anywhere )?near\b(( or| and|,) (any |the )?(\w+ )?(lights?|sockets?|electrics|switch\w*|wires?))*`,
  'g',
);

// "My neighbour had a gas leak yesterday": someone else's, not this home's.
const SOMEONE_ELSES = /\b(my |our |the )?(neighbou?rs?|friends?|mum|mam|dad|sister|brother|mate|cousin|someone|somebody)( \w+){0,2} (had|has had) (a |an )?(gas leak|leak|flood|fire|burst( pipe)?|break ?in)( \w+){0,3}?( (yesterday|last \w+|recently|the other (day|week)))?\b/g;
const BARE_NO = /^\s*no (heat|heating|hot water|power|water|lights)\s*$/;
const LIST_OF_DENIALS = /^\s*(no|nothing|not|none)\b(?! (heat|heating|hot water|power|water|lights)\s*$)/;

// "An eggy smell, but the gas man says it's definitely not gas": the smell is a drain's, not a leak's.
const GAS_RULED_OUT = /^(?![^]*\b(smel\w*|whiff\w*|stink\w*) (of|like) gas\b)[^]*\b(not|isnt|wasnt|never)( \w+){0,2} gas\b/;
const NOT_GAS_AFTER_ALL = /\b((rotten|bad|off) eggs?|eggy|sulph\w*|sulf\w*|gas (man|men|engineer|board|fitter|bloke|company))\b/g;

/** The text with what is not happening now blanked out, clause by clause. */
export function happeningNow(plain: string): string {
  const sentences = plain.split(/([.!?\n]+)/);
  const kept: string[] = [];
  for (let i = 0; i < sentences.length; i += 2) {
    const sentence = sentences[i]!;
    const end = sentences[i + 1] ?? '';
    const previous = i - 2;
    // "Before it goes again" fears a return; it does not report one.
    const present = withoutFears(sentence);
    if (RESOLVED.test(sentence) && !THEIR_END.test(sentence) && !PART_WORKS.test(sentence) && !RETURNED.test(present) && !STILL_GOING.test(present) && !NOW_AFTER.test(present)) {
      // "No leak now but we've got no water at all": what follows the turn is still news.
      const pieces = sentence.split(/\s(?:but|though|however|although|just)\s/);
      const after = pieces.length > 1 && !RESOLVED.test(pieces.at(-1)!) ? pieces.at(-1)! : '';
      kept.push(after ? presentClauses(after) : ' ', end);
      // "Lost power this morning. It is back on now": the sentence before goes with it.
      // ...but not "No hot water since yesterday. The heating still works fine", nor "The toilet's fine though".
      if (previous >= 0 && !CONTRAST.test(sentence) && !PART_WORKS.test(`${sentences[previous]!} ${sentence}`)) kept[previous] = ' ';
      continue;
    }
    // "It's just done it again": whatever the sentence before said was over is back.
    // "Do you deal with sewage? It's coming up the shower": the question named the fault.
    if (previous >= 0 && (BACK_NOW.test(present) || (SERVICE_QUESTION.test(sentences[previous]!) && REPORT_ON_IT.test(present)))) {
      kept[previous] = sentences[previous]!;
    }
    kept.push(presentClauses(sentence), end);
  }
  const now = kept.join('');
  return GAS_RULED_OUT.test(plain) ? now.replace(NOT_GAS_AFTER_ALL, ' ') : now;
}

function withoutFears(clause: string): string {
  const feared = HYPOTHETICAL.exec(clause);
  return feared ? clause.slice(0, feared.index) : clause;
}

function presentClauses(sentence: string): string {
  const pieces = sentence.split(CLAUSE);
  const out: string[] = [];
  for (let i = 0; i < pieces.length; i += 2) {
    let clause = pieces[i]!;
    // "Since the new flue went in last week", "it started last week": the date of a fault still going, not its end.
    if ((SERVICE_QUESTION.test(clause) && !GAS_ASKED_ABOUT.test(clause)) || (LONG_AGO.test(clause) && !RETURNED.test(sentence) && !RETURNED.test(clause) && !/\b(since|started|began|begun)\b/.test(clause) && !COMPARED.test(clause))) clause = ' ';
    else {
      if (PRICE_QUESTION.test(clause)) clause = clause.replace(SERVICE_URGENCY_WORDS, ' ');
      clause = withoutFears(clause).replace(DENIED, ' ').replace(SOMEONE_ELSES, ' ');
      // "No sparks, no heat, nothing dangerous": in a list of denials, "no heat" is one more.
      const neighbours = [pieces[i - 2], pieces[i + 2]].filter((c): c is string => c !== undefined);
      if (BARE_NO.test(clause) && neighbours.some((c) => LIST_OF_DENIALS.test(c))) clause = ' ';
    }
    out.push(clause, pieces[i + 1] ?? '');
  }
  return out.join('');
}
