// The built-in rules engine: deterministic triage and slot filling. It holds
// the conversation when there is no OPENAI_API_KEY and whenever OpenAI fails,
// so a customer always gets a sensible next question. Its triage is the rules
// below with a trained classifier's floor under them (./triage-classifier.ts).
import type { BusinessContext, JobDetails, TranscriptLine, TurnResult } from '../../workflows/shared/turn';
import type { UrgencyLevel } from '../../workflows/shared/urgency';
import { happeningNow } from './happening-now';
import { toPlainEnglish } from './plain-english';
import { CLASSIFIER_FLOOR, classifyTriage, type ClassifiedTriage, type ClassifierFloor, type SafetyHazard, type Thresholds } from './triage-classifier';
import { EMPTY_JOB } from './turn';

// Outward code (area letters, district digit, optional sub-district) then the
// inward code. The letters are the Royal Mail's: no Q/V/X to start, no I/J/Z
// second, and the inward letters never use C, I, K, M, O or V, which is what
// keeps text-speak such as "gr8 3pm" from being read as a postcode.
const UK_POSTCODE = /\b([A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?)\s*(\d[ABD-HJLNP-UW-Z]{2})\b/i;

interface Triage {
  urgency: UrgencyLevel;
  reason: string;
  safetyAdvice?: string;
  /** The trade a hazard always needs (a gas smell is heating's, whatever else the text names). */
  trade?: string;
  /** The rules' own triage, when the classifier raised this one above it. */
  raisedFrom?: Triage;
}

const GAS_ADVICE =
  'If you smell gas: leave the property now, do not use switches or flames, and call the National Gas Emergency Service on 0800 111 999.';
const CO_SIGNS_ADVICE =
  'Carbon monoxide can kill: turn off gas appliances, get everyone into fresh air, and call the Gas Emergency Service on 0800 111 999.';
const CO_ADVICE =
  'If your CO alarm is sounding: open windows, get everyone outside, and call the National Gas Emergency Service on 0800 111 999.';
const ELECTRIC_ADVICE = 'Please keep clear and, if it is safe to do so, switch off the power at the consumer unit.';
const FIRE_ADVICE = 'If you can see smoke or flames, get everyone out and call 999. Otherwise keep clear and, if it is safe, switch it off at the mains.';
const WATER_ADVICE = 'If you can do so safely, turn the water off at the stopcock and keep clear of any wet electrics.';
const SEWAGE_ADVICE = 'Please stop using the toilets, sinks and baths until it is cleared, and keep children and pets away from it.';
const PERSON_INSIDE_ADVICE = 'If anyone inside is in danger, call 999 now.';
const LEFT_ON_ADVICE = 'If anything left on could catch fire, or anyone inside is in danger, call 999 now.';
const CEILING_ADVICE =
  'A ceiling holding water can fall: please keep everyone well clear of the room below and, if you can do so safely, turn the water off at the stopcock.';
const COLD_ADVICE = 'If they are unwell, confused or cannot get warm, call 999 now; until help comes, keep them wrapped up in one warm room with hot drinks.';
// An emergency read from the wording as a whole, whose hazard the classifier could not name: the advice that covers the commonest.
const UNNAMED_DANGER_ADVICE = 'If anyone is in danger, call 999. If you can smell gas, call 0800 111 999; if water is escaping, turn it off at the stopcock.';
const STRUCTURE_ADVICE = 'Please keep everyone well clear of anything that could fall, and call 999 if anyone is hurt.';

// ---------------------------------------------------------------------------
// Triage. Customers text in their own words ("boiler's packed in", "lecky's
// gone off", "whiff of gas"), so each rule is a pattern over a vocabulary
// rather than a fixed phrase. Rules are tried in order, emergencies first, and
// the first that fires gives the urgency and the reason. Within one rule `.`
// never crosses a newline, so a pattern only ever matches inside one text.
//
// A rule's `ignore` phrases are blanked out before its pattern is tried: they
// look like the hazard but name a product ("flood light", "smoke alarm",
// "emergency lighting"), deny it ("no gas smell"), or put it in the past
// ("a break-in a few weeks ago"). They are per rule because a phrase that is
// no hazard for one rule can still be evidence for another.
// ---------------------------------------------------------------------------

/**
 * Case-insensitive, and multiline so that a rule anchored with `^(?=...)` (a
 * "this text must also mention X" guard) checks each text of the transcript.
 * Ignore phrases are global so that every occurrence is blanked.
 */
const re = (source: string) => new RegExp(source, 'im');
const phrase = (source: string) => new RegExp(source, 'gi');

interface Rule {
  reason: string;
  pattern: RegExp;
  /** What the texts must also mention, tried on all of them, over or not: the boiler fitted last month that the headaches began with. */
  context?: RegExp;
  ignore?: RegExp[];
  advice?: string;
  trade?: string;
  /** When the trade above does not hold: a leak onto the electrics is the plumber's or roofer's first. */
  tradeUnless?: RegExp;
}

// -- shared vocabulary ------------------------------------------------------
// "smel" and "smelt" too: phone-typed texts drop letters.
const SMELL = String.raw`(smel+\w*|whiff\w*|stink\w*|stench|reek\w*|pong\w*|niff\w*|honk\w*|odou?r)`;
const NEGATION = String.raw`(no|not|never|without|cant|cannot|couldnt|dont|didnt|doesnt|isnt|wasnt)`;
const CO_TERM = String.raw`(carbon monoxide|monoxide|\bco2?[- ]?(alarm|detector|monitor|sensor)s?|carbon (alarm|detector)s?)`;
const GAS_APPLIANCE = String.raw`boilers?|combis?|gas fires?|fires?|cookers?|ovens?|hobs?|flues?|heaters?|gas`;
// What an alarm does when it has detected something, as opposed to being fitted.
const SOUNDING = String.raw`(beep\w*|bleep\w*|chirp\w*|go(es|ing)? off|gone off|went off|sound(s|ing|ed)|alarming|scream\w*|shriek\w*|screech\w*|flash\w*|trigger\w*|readings?|ringing|blaring|wailing|howling|continuous\w*|constant\w*|non ?stop|\d+ ?ppm|going (mental|crazy|nuts|mad)|wont (stop|shut up)|red (light|led))`;
// Things carrying mains electricity. "electric" on its own is left out (an
// electric shower is not exposed electrics), and so are boilers, hobs and
// cookers, whose igniters spark by design.
const LIVE_PARTS = String.raw`(ceiling roses?|light roses?|sockets?|plug ?sockets?|plugs?|fuse ?box(es)?|fuse ?boards?|fuses?|consumer units?|trip ?switch(es)?|(light )?switch(es)?|wiring|wires?|cables?|electrics|electricity|lecky|leccy|extension (leads?|cables?|reels?|sockets?)|adaptors?|meter cupboard|light fittings?|(ceiling|down|spot|strip|pendant) ?lights?|lamps?|chargers?|transformers?|(electric )?heaters?|kettles?|toasters?|fridges?|freezers?|(tumble )?dryers?|microwaves?|telly|tv|appliances?|(pull|shower|light) ?cords?|extractor( fans?)?|(bathroom|ceiling|kitchen|toilet) fans?|cooker switch(es)?)`;
const OVERHEATING = String.raw`(burn\w*|scorch\w*|singe\w*|charr\w*|spark(s|ing|ed)?|smok\w*|smoulder\w*|melt\w*|fizz\w*|crackl\w*|arcing|sizzl\w*|caught fire|on fire|flames?|(hot|warm) to (the )?touch|(really|very|too|red|roasting|boiling) hot|(that|so|too) hot (you|ye|i) (cant|cannot) (hold|touch|keep)|fishy (smell|burning)|black (marks?|stains?) (round|around|on)|smell\w* hot\b|crack(ing|ed) (noise|sound)|(popp\w*|bang\w*) and (flash\w*|spark\w*)|(blue|bright|green|white) flash\w*|flash\w* and (popp\w*|bang\w*)|(gone|turned|going) (a |an )?(bit )?(\w+ )?(brown|black)|discolou?r\w*|(gone|going|turned)( all)? (soft|melty)|buzz\w* like a (wasps? nest|hive|bee\w*))`;
// Where water meets electrics: a subset of LIVE_PARTS that water actually reaches.
const WETTABLE_ELECTRICS = String.raw`(sockets?|plug ?sockets?|fuse ?box(es)?|fuse ?boards?|consumer units?|light fittings?|(ceiling|down|spot) ?lights?|light switch(es)?|electrics|electricity|wiring|wires|cables|(electric(ity)? )?meter cupboards?|electric(ity)? meters?|extractor( fans?)?|(bathroom|ceiling|kitchen|toilet) fans?|pull ?cords?|(light )?flex|bulbs?|extension (leads?|cables?|reels?|sockets?)|four ?way( extension)?|adaptors?|(power|multi) ?(strips?|plugs?))`;
const SAME_SENTENCE = String.raw`[^.!?\n]*`;
const WET = String.raw`((foot|feet|inches?|knee|ankle|cm) deep|water\w*|leak\w*|drip\w*|rain\w*|wet|soak\w*|sodden|damp|flood\w*|pour\w*|chuck\w* (it )?down|gush\w*|trickl\w*|puddl\w*|running down)`;
// Products whose names contain a hazard word. Blanked wherever they would mislead.
const WATER_PRODUCTS = String.raw`\bwater (features?|butts?|softeners?|filters?|pumps?|heaters?|meters?|bills?|rates)\b`;
const ELECTRIC_APPLIANCES = String.raw`\b(electric|power) (showers?|heaters?|boilers?|radiators?|cookers?|ovens?|hobs?|cars?|vehicles?|gates?|blankets?|fires?)\b`;
const PAST = String.raw`(\bago\b|\blast (week|month|year|summer|winter|christmas)\b|\bin the past\b|\bpreviously\b)`;

// Left outside: locked out, or sat on the step.
const SHUT_OUT = String.raw`cant get (back )?in|locked (\w+ )?out|shut (\w+ )?out|stuck (out )?(in|on) the (back )?(garden|yard|balcony|street|drive)|(door|it)( \w+){0,2} (has |s )?(clicked|slammed|swung|blown|blew|banged) shut|(door|it)( \w+){0,2} (shut|closed|clicked|gone) on the latch|(door|it)( \w+){0,2} (shut|closed|slammed|swung shut|blew shut) (behind|on) (me|us|him|her|them)|(im|i am|were|we are|weve been|ive been)( stuck| stood| sat| standing| sitting| locked)? outside|(stuck|standing|stood|sat|sitting|waiting) (outside|(on|at) (the|her|his|my|their) (front )?(door ?)?steps?)`;
// "He's 14": a child, by age.
const CHILD_AGE = String.raw`(he|she|hes|shes)( is| s)? (only )?([1-9]|1[0-5])\b(?! ?(weeks|months|stone|st|kg|pm|am|mins|minutes|hours|quid|pounds)\b)`;
// Old, ill or unable to move: who cannot be left outside or shut in for long.
const FRAIL = String.raw`dementia|alzheimers|elderly|frail|disabled|wheelchair|pensioner|housebound|bed ?bound|bed ?ridden|on oxygen|asthma\w*|diabetic|epilep\w*|old (mum|mam|dad|mother|father)|old (man|woman|lady|gentleman|fella)|(mum|mam|dad|father|mother|nan|nana|gran|grandad|grandma|granny|grandpa|he|she|hes|shes|hers|who|whos|aged|i|im|i am)( is| s| am)? (6[5-9]|[7-9]\d|10\d)\b|(6[5-9]|[7-9]\d|10\d) ?(year|yr)s? ?old`;
// A child, by word or by age.
const CHILD = String.raw`(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+) ?(yo|yr old|yrs old|years? old|weeks? old|months? old)|newborn|baby|babies|child|children|kids?|toddler|son|daughter|grandchild\w*|grand(son|daughter|kids?)|nephew|niece|(he|she) (is |s )?(only )?(little|tiny|small)|(little|young|wee|lil) (one|un|lad|lass|boy|girl|man|sister|brother|sis|bro)|twins|(my|our|me) (boy|girl|lad|lass)|(sister|brother|son|daughter) (is |s )?(only )?([1-9]|1[0-5])\b|(he|she|lad|lass|boy|girl) (is |s )?(only )?\d+|\d+ ?(year|yr)s? ?old`;
// Who cannot be expected to undo a lock themselves.
const CHILD_OR_FRAIL = String.raw`${CHILD}|${FRAIL}`;
// Who is in danger shut in or shut out, and who cannot be left with a hazard.
const VULNERABLE = String.raw`${CHILD}|elderly|disabled|mum|mam|mom|mother|dad|father|gran|grandma|granny|grandad|grandpa|nan|nana|husband|wife|partner|pensioner`;
// What comes out of a drain that is not clean water.
const FOUL = String.raw`(not (just )?clean|not just water|(brown|dirty|black|filthy|stinky|stinking|smelly|mucky|disgusting|grey brown|dark|horrible|nasty|grim|gross|vile|rank)( \w+)? (water|sludge|stuff|muck|gunk|mess|liquid)|foul|toilet (roll|paper)|paper in it|with (little |small )?bits( in| floating)?|bits (in it|floating)|(loo|toilet) (roll|paper|tissue)|(toilet|sewage|sewer|poo) smelling|poo|raw|stinks|with (the )?(muck|mess|gunk|filth|crap|waste)|stuff that (definitely )?(isnt|is not) ours|sludge|with the lot|(its|it is|water is|water s|it s) (all )?brown|(smells|stinks|stinking|smelling|reeks|reeking) (like|of) (a )?(toilet|sewer|poo))`;
const DRAIN_THINGS = String.raw`(drains?|sewers?|toilets?|loos?|septic( tank)?|plugholes?|gull(y|ies)|manholes?)`;
// "burglar" is left out: a burglar alarm is an electrician's install, not a break-in.
const BURGLARY = String.raw`(burgl(ed|ary|aries)|break[- ]?in|broken into|(someone|somebody|they|burglars?|thieves|been) broken in|broke in|(kicked|booted|smashed|forced|jemmied|bust)( \w+){0,3} (doors?|locks?|windows?)( \w+)? (in|open)|(?<!\b(meter|box|cupboard|cabinet|shed|oven|fridge|wardrobe|unit)( \w+)? )(locks?|doors?|frames?|handles?)( \w+){0,3} (ripped|hanging|pulled|kicked|forced)( right)? (off|out)|(doors?|locks?|frames?) (was |were |been |had been )?forced\b|had a go at (the |our |my )?(\w+ )?(doors?|locks?|windows?)|(doors?|locks?|windows?)( \w+){0,2} (forced|kicked|smashed|jemmied) (open|in))`;
// A flood or leak that is over ("after our flood last year") is history, not a hazard.
const WATER_IN_THE_PAST = String.raw`\b(flood\w*|leak\w*|burst\w*)\b.{0,20}(${PAST}|\b(fixed|repaired|mended|sorted)\b)|\b(dried|dry) out\b`;

const HEAT_SYSTEM = String.raw`(boilers?|combi|central heating|heating|hot water|immersion|water heater|heat pump)`;
const HEAT_FAILING = String.raw`((hasnt|has not|havent|have not) (worked|been working|come on|fired)|not (working|work|come on|coming on|firing|fire|heating|heat|turning on|igniting|lighting)|stopped|broke|broken|pack(ed|ing)? (in|up)|gone off|died|dead|conked( out)?|kaput|(wont|cant|doesnt|will not) (fire|start|come on|work|ignite|light|heat|turn on|stay on)|isnt working|failed|failing|(is |s |has gone |gone )down|cut(s|ting)? out|keeps? (cutting out|going off|turning off)|lock(ed|ing|s)? out|lockout|fault|error|\b(f|e|l|ea)\d+\b|(has |is )?gone blank|display (is |has )?(off|blank|dead)|(red |warning |fault )?lights? (is |are )?flashing|flashing (red |warning )?light|(on|at|reads|reading|showing|says) (zero|0)\b|lost (all )?(its )?pressure|no pressure)`;
const BACKS_UP = String.raw`((comes?|coming|came|bubbl\w*|backs?|backing|goes|going) (back )?up (in |into |through |out of |out |from )?(the |our |my |their |her |his )?(\w+ )?(shower|bath|sink|basin|plughole|floor|toilet|loo)|(comes?|coming|came) (back )?up (out of|through) (ours|mine)|(come|came|comes|coming) (back )?up and over)`;
// Danger that has not happened yet still needs people kept clear.
const COULD_FALL = String.raw`(could|might|may|going to|gonna|about to|ready to|likely to|will) (fall|drop|come down|collapse|give way|go)`;
const OUTLET = String.raw`(toilets?|loos?|wc|drains?|manholes?|drain covers?|grids?|sinks?|basins?|baths?|showers?|gull(y|ies)|waste pipes?|soil pipes?|plugholes?|u-?bends?)`;
const BLOCKED = String.raw`(blocked|blockage|full to the (top|brim|rim)|bunged( up)?|clogged|backing up|backed up|overflow\w*|(wont|will not|doesnt|isnt|is not|arent) (drain\w*|go\w* down|flush\w*|clear\w*|empty\w*)|(not|nothing) (draining|going down|flushing)|(goes|going|drains?|draining|go) (down )?(very |really |so )?slow(ly)?|wont shift|just sits( there)?|spills? over|plunger( \w+){0,2} (hasnt|has not|didnt|wont|not) (shift|clear|budg|done|work)\w*|plunger( has| s)? done nothing|(fills?|filling|comes?|rises?)( right)? up to the (brim|top|rim)|sitting there|takes ages to (go )?(back )?down|fills? up (whenever|when|every time))`;

const LEAK_IS_THE_CAUSE = re(String.raw`\b(water|leak\w*|drip\w*|rain\w*|flood\w*|overflow\w*)\b`);

const EMERGENCY_RULES: Rule[] = [
  {
    reason: 'gas smell',
    trade: 'heating',
    advice: GAS_ADVICE,
    pattern: re(
      [
        String.raw`\b${SMELL}( (a|bit|wee|little|really|very|pure|proper|well|so|awful|awfully|strong|strongly|faint|faintly|slight|slightly|quite|dead|right|kind|sort|definitely|sorta|kinda|horribly|terribly))* (of |like )?(gas|gassy)\b`, // smell of gas, smells like gas, whiff of gas, smelt gas, smelling awful gassy
        String.raw`\bgas(sy)? (${SMELL}|leak\w*|escape)`, // gas smell, gassy smell, gas leak
        String.raw`\b(leaking|escaping) gas\b|\bgas (is |s )?(leaking|escaping)\b|\bgas (is |s )(really |pure |proper |well |so )?(stink\w*|reek\w*|smel+\w*)`,
        // A gas appliance or pipe said to leak or hiss is leaking gas, not water.
        String.raw`\bgas (cooker|hob|oven|fire|meter|pipe|supply|bottle|heater|tap|main)s?\b(.{0,30})\b(leak\w*|hiss\w*)`,
        String.raw`\bhiss\w*.{0,50}\b(gas|(?<!water )meter)\b|\b(gas|(?<!water )meter)\b.{0,50}\bhiss`,
        // Mains gas is odourised with mercaptan, which people describe rather than name.
        String.raw`\b((rotten|bad|off) (eggs?|cabbage|veg\w*)|sulph\w*|sulf\w*|struck match\w*)\b|\b${SMELL}.{0,100}\b(eggs?|cabbage)\b|\beggy\b|\b${SMELL}.{0,60}\b(gas )?(bottles?|cylinders?|lpg|propane|butane|calor)\b|\b(gas )?(bottles?|lpg|propane|butane|calor)\b.{0,60}\b${SMELL}`,
        // An odd smell at a gas appliance is treated as gas until someone has checked.
        String.raw`\b(funny|odd|strange|weird|peculiar|chemical|horrible|strong) ${SMELL}.{0,40}\b(boiler|cooker|hob|oven|gas fire|meter|gas)\b`,
        // A smell that is "still escaping", a hiss with a smell, a yellow pipe (gas's colour) hit by a spade, the smell back after a gas repair.
        String.raw`^(?=[^]*\b(${GAS_APPLIANCE}|meter|pipe)s?\b)[^]*\b${SMELL}\b.{0,60}\bescap\w*|\bhiss\w*\b.{0,100}\b${SMELL}\b(?! (of|like) (damp|drains?|sewage|burning|toast|plastic|wee|poo|mould|rubber))|\b${SMELL}\b.{0,60}\bhiss\w*|\byellow (plastic |gas )?pipe\b.{0,80}\b(hiss\w*|${SMELL}|split|cut|through|damaged|hit|snapped)|\b(hit|through|cut|split|damaged|snapped)( \w+){0,3} (a |the )?yellow (plastic |gas )?pipe\b|^(?=[^]*\bgas\b)[^]*\b${SMELL}( is| s| has)?( come| came)? back\b`,
        String.raw`\b(oven|hob|cooker|boiler|fire)\b.{0,40}\b(whoomph|whoomf|whoosh|woomph|woof|boom)\b`,
        // The gas meter turning with everything off.
        String.raw`^(?=[^]*\b(everything|all|appliances|hob|boiler|the lot)( \w+){0,2} (is |are |s )?(off|turned off|switched off)\b)(?=[^]*\b(gas|yellow pipe)\b)[^]*\bmeter( \w+){0,5} (clicking|spinning|going round|whizzing|racing|ticking|moving|turning)\b`,
        // "A whiff like the cooker's been left on", a smell at the meter, a pipe left open where a cooker was.
        String.raw`\b${SMELL}\b.{0,40}\blike (when )?(the |a )?(cooker|hob|oven|gas|gas fire|rings?)s?( has| have| s)?( been)? (left )?on\b|\b${SMELL}\b.{0,30}\b(camping stove|calor|bottled gas|like gas)\b|\b${SMELL}\b.{0,40}\blike when (you|i|we) (turn|leave|put) (on )?(the |a )?(hob|cooker|gas|oven|ring)|\bmercaptan\b|\b(says?|said|think|reckon)( \w+){0,2} (its|it is|it s) gas\b|\b(left|leave) the (gas )?pipe (\w+ )?open\b|\b(whistl\w*|hiss\w*)( \w+){0,4} (from|at|by|in) the (gas )?meter\b|\b(cooker|camping stove) (smell|pong|stink|whiff)\b|\bsmell they put in\b|\b(turned|left) (all |aw )?(the )?(knobs|rings|taps|dials)( \w+){0,3} on\b[^]*\b${SMELL}|\bpipe( \w+){0,3} (was |is )(just |left )?open\b[^]*\b${SMELL}|\b${SMELL}\b.{0,30}\b(by|near|round|around|at|from|under) the (gas )?meter\b|^(?=[^]*\b(cooker|hob|oven|gas fire|boiler|gas)\b)[^]*\b(open end(ed)?|uncapped|not (been )?capped|never capped)\b`,
        String.raw`\b(boiler|cooker|hob|oven|gas fire|meter)\w*.{0,30}\b${SMELL} (funny|odd|strange|weird)`,
        // The smell of a ring left on unlit, with every knob off.
        String.raw`^(?=.*\b(hob|cooker|oven|gas fire|boiler)s?\b).*\b${SMELL}.*\b(ring on|(doesnt|didnt|wont) light|not lit|unlit|(knobs|rings|taps|controls)( are| is)?( all)? off|even (when|though) (its|it is) off|even with (everything|it|them|the \w+)( all)? (turned |switched )?off)\b|^(?=.*\b(hob|cooker|oven|gas fire|boiler|stove|ring)s?\b).*\b(left (turned )?on|no flame|without (a )?flame|not lit|unlit|(wont|wouldnt|would not|didnt|did not) (light|ignite))\b.*\b${SMELL}`,
      ].join('|'),
    ),
    ignore: [
      phrase(String.raw`\b${NEGATION}( any| a)? (${SMELL}( of| like)? gas|gas ${SMELL}|gas leak)\b`),
      // Drains smell of eggs too (hydrogen sulphide); that is a drain, unless the text also says gas.
      phrase(String.raw`(?<!\bgas\b.*)\b${DRAIN_THINGS}\b.{0,30}\b(rotten )?egg\w*|\begg\w*.{0,30}\b${DRAIN_THINGS}\b(?!.*\bgas\b)`),
    ],
  },
  {
    reason: 'carbon monoxide alarm',
    trade: 'heating',
    advice: CO_ADVICE,
    // Carbon monoxide suspected, or a CO alarm sounding: an alarm that is only mentioned (tested, fitted, out of date) is no emergency.
    // Or an alarm that is sounding in a text that says "CO" anywhere ("the alarm says CO").
    pattern: re(
      [
        String.raw`\b(carbon )?monoxide\b(?! (alarm|detector|monitor|sensor|tester)s?\b)|\b\d{2,4} ?ppm\b|^(?=.*\b(alarm|detector|sensor|thing|thingy)\b).*\b(screen|display|it) (says|shows|reads|reading)( about| around)? \d{2,4}\b|^(?=.*${SOUNDING}).*(${CO_TERM}|\b(alarm|detector|sensor|thingy|monitor)\w*\b.*\bco2?\b|\bco2?\b.*\b(alarm|detector|sensor|thingy|thing|monitor))|\b(fumes?|carbon monoxide|co) poison\w*|\bpoisoned by (the )?fumes\b`,
        // The alarm described rather than named: a box or detector by the boiler that keeps sounding.
        String.raw`^(?=.*\b(boiler|combi|gas fire|cooker|flue)\b).*\b(box|alarm|detector|thing|thingy|unit|sensor)\b.{0,100}\b(keeps going off|going off|(loud )?beep\w*|sounding|scream\w*|shriek\w*|wont (stop|shut up))`,
      ].join('|'),
    ),
    // Having an alarm, or asking for one to be fitted or replaced, is routine unless the same text says one is sounding.
    ignore: [
      // One chirp a minute is the alarm asking for a battery or its own replacement, unless it keeps sounding.
      phrase(
        String.raw`^(?=.*\b(replace by|end of life|once a minute|every (minute|\d+ (seconds|minutes))|(one|single|little|odd) (chirp|beep|bleep)|(chirp|beep|bleep)\w* once|(says|shows|showing|reads) end)\b)(?!.*\b(still|keeps|constant\w*|continuous\w*|(?<!\bnot( \w+){0,2} )loud\w*|wont stop|going off|gone off|went off|sounding|all (morning|day|night)|head\w*|sick|dizzy)\b).*`,
      ),
      phrase(
        String.raw`(?<!${SOUNDING}.*)\b(fit|fitted|fitting|install\w*|supply|put in|buy|get|need|want|replace|new|spare|have|has|got|with|our|my|their|his|her)( (me|us|a|an|some|new|the|one|extra|smoke and|smoke))* ${CO_TERM}(?!.*${SOUNDING})`,
      ),
      phrase(String.raw`(?<!${SOUNDING}.*)${CO_TERM}( \w+){0,3} ((needs?|wants?|to be) (replac\w*|chang\w*|fitt\w*|renew\w*)|(has |is )?(expired|out of date))\b(?!.*${SOUNDING})`),
    ],
  },
  {
    reason: 'signs of carbon monoxide',
    trade: 'heating',
    advice: CO_SIGNS_ADVICE,
    // Soot down the chimney of a fire nobody lights is the chimney's, not fumes.
    ignore: [
      phrase(String.raw`\bsoot\w*( \w+){0,6} (chimney|flue)\b(?=[^]*\b(never|dont|do not|rarely) (use|light)\b)`),
      // A headache the writer puts down to something else.
      phrase(String.raw`\b(kids|children|work|stress|noise|them|he|she|they|the \w+)( \w+){0,2} (given|give|gave|giving) (me|us|him|her) (a )?(\w+ )?(headache|migraine)s?\b|\b(headache|migraine)s? (from|off) (the )?(kids|children|work|stress|screen|noise)\b`),
    ],
    // Soot, fumes or a lazy flame at a gas appliance, or CO's symptoms
    // (headache, nausea, dizziness) blamed on one, without an alarm to say so.
    context: re(String.raw`\b(${GAS_APPLIANCE}|stoves?|burners?|heating( is| s| has been| been)? on|heating (comes|came) on|carbon monoxide|monoxide|co alarm)\b`),
    pattern: re(
      String.raw`\b(fumes|exhaust|hangovers?|spaced out|sore heads?|(awful|bad|thumping|splitting|banging|pounding) heads\b|came over faint|dozing off|nodding off|puffing back|(smells?|smelling|stinks?|stinking) like (a )?(garage|exhaust|car)|(black|thick|grey) smoke( \w+){0,4} (out of|from|out|up) (the )?(flue|boiler|gas fire)|(flue|boiler)( \w+){0,4} (black|thick) smoke|heads? like|(wake|woke|waking|get|got) up( \w+){0,3} with (a )?(headaches?|heads?|sick)|soot\w*|black (marks?|stain\w*)|yellow flames?|lazy flames?|headaches?|head ?aches?|(heads?|head is|heads are) (thumping|pounding|throbbing|banging|splitting)|(pounding|thumping|splitting|banging|throbbing) head(aches?)?|(was|were|is|are|been|got|has been|have been) (\w+ )?sick\b|dopey|lethargic|flat out|sleepy|(feel\w*|felt) (rough|awful|terrible|rotten|dreadful|grim)|dizz\w*|(feel\w*|felt|being|been) (sick|ill|faint|drowsy|woozy|groggy|light ?headed|spaced out)|sick (twice|all|again)|vomit\w*|throw(ing|n) up|nause\w*|drowsy|woozy|groggy|light ?headed|passed out|(feel\w*|felt|went|going|nearly) faint|faint(ed|ing)|(orange|lazy|floppy) flames?|flames?( \w+){0,8} (orange|yellow|lazy|floppy)|(fine|grand|better|ok|okay) (once|when|if|as soon as) (we|i|they|were|im|we are|he|she|hes|shes|theyre|the kids|(he|she|they) (is|are|gets?|goes?))( \w+){0,3} (out|outside)|(goes|go|gone|clears?|wears? off|lifts?)( off| away)? (by|when|once) (\w+ ){0,3}(at work|out|outside|(we|i|they) (leave|go out)))\b`,
    ),
  },
  {
    // No heat is urgent for most; for someone old or a baby who is already unwell with it, it is a danger to them.
    reason: 'someone vulnerable unwell without heat',
    trade: 'heating',
    advice: COLD_ADVICE,
    pattern: re(
      String.raw`^(?=[^]*\b(no (\w+ )?(heating|heat)|(heating|boiler|combi)( \w+){0,3} (off|gone|broke|broken|stopped|not working|(hasnt|has not|havent|not) (worked|been working|come on)|packed (in|up)|died|dead)|(house|flat|home|place|it)( is| s) (freezing|baltic|so cold|like a fridge)|(radiators|rads)( are)? (cold|freezing))\b)(?=[^]*\b(elderly|pensioner|frail|(8|9)\d ?(year|yr)s? old|(she|he)( is| s)? (8|9)\d|(mum|mam|dad|nan|nana|gran|granny|grandad|grandma|grandpa|mother|father|aunt|uncle)( \w+){0,3} (is |s )?(8|9)\d|baby|newborn)\b)[^]*\b(not (very )?well|unwell|poorly|shivering|confused|hypotherm\w*|(cant|cannot) (get|keep) warm|turning blue|chest (pains?|infection)|not (her|him)self|not making sense|muddled|(really|very|so|too) (weak|frail)|cold to (the )?touch|lips (are |have gone |gone )?blue)\b`,
    ),
  },
  {
    reason: 'burning or sparking electrics',
    trade: 'electrical',
    tradeUnless: LEAK_IS_THE_CAUSE,
    advice: ELECTRIC_ADVICE,
    pattern: re(
      [
        // Within one sentence: in a long message the socket and the heat are often different stories.
        String.raw`\b${OVERHEATING}${SAME_SENTENCE}\b${LIVE_PARTS}\b|\b${LIVE_PARTS}\b${SAME_SENTENCE}\b${OVERHEATING}`,
        String.raw`\b${LIVE_PARTS}\b( \w+){0,5},? (is|its|are|feels?|gets?|getting|gone|went|s) (really |very |too |quite |a bit |bit )?(hot|warm)\b(?! water)`,
        // A socket that went bang and is black has burnt inside, whether or not it still smells.
        String.raw`\b${LIVE_PARTS}\b.{0,40}\b(went bang|gone bang|blew up|exploded|blackened|(gone|went|is|are|turned) black)\b`,
        // A fishy or hot-plastic smell is how wiring overheats; a buzz through the fingers off metal is a live fault.
        String.raw`^(?=[^]*\b${LIVE_PARTS}\b)[^]*\b(fishy|plasticky|hot fish|hot plastic|hot metal|hot iron|like fish)\b|\b(feel|felt|feels|get|got|getting)( \w+)? (a )?(buzz|tingle|tingling|zap)\w*( \w+){0,4} (through|in|up) (my|his|her|their|your) (fingers?|hands?|arm|body)\b`,
        // Burning plastic or rubber is how an electrical fire smells, wherever it comes from.
        String.raw`\b(burning|melting|hot) (plastic|rubber)\b|\b${SMELL} (of |like )?(burning|melting|hot) (wires?|wiring|electrics?)\b`,
      ].join('|'),
    ),
    ignore: [
      phrase(String.raw`\bsmoke (alarm|detector)s?\b`), // fitting smoke alarms is not smoke
      phrase(String.raw`\b(bulbs?|lamps?)( \w+){0,2} (burnt|burned|blown)( out)?\b|\b(burnt|burned|blown)( out)? (\w+ )?(bulbs?|lamps?)\b`),
    ],
  },
  {
    reason: 'burning smell or smoke',
    advice: FIRE_ADVICE,
    // Unexplained burning or smoke: could be an electrical or appliance fire.
    pattern: re(
      String.raw`\b${SMELL} (of |like )?(something )?(has |is |s |been )*burn\w*|\bburn\w* ${SMELL}|\b(smoke|haze)( \w+){0,2}? (is )?(coming|pouring|billowing|rising)\b|\bsmoking\b|\b(wont|will not|cant|doesnt) stop (sparking|smoking|burning|crackling|fizzing)\b|\b(sparks|sparking|smoke|smoking|crackling|fizzing)( \w+)? (havent|hasnt|have not|has not|wont|will not|not) (stopped|stop)\b`,
    ),
    ignore: [
      phrase(String.raw`\bsmoke (alarm|detector)s?\b|\bno smoking\b`),
      // A condensing boiler's flue plumes white in the cold.
      phrase(String.raw`^(?=.*\b(boiler|flue|outside|outside wall)\b).*\bwhite (smoke|steam|cloud)\b.*`),
      phrase(String.raw`\bburn\w* (toast|food|dinner|tea|pizza|pans?|oil)\b`), // cooking
    ],
  },
  {
    reason: 'electric shock',
    trade: 'electrical',
    tradeUnless: LEAK_IS_THE_CAUSE,
    advice: ELECTRIC_ADVICE,
    // "got a shock" alone could be the price; a shock off a switch, tap or appliance is a live fault.
    // Static off a car door or a carpet is not the house's electrics.
    ignore: [
      phrase(String.raw`\bstatic( electricity)?( shocks?)?( \w+){0,4} (car|carpet|trolley|jumper|door handle|door)?\b`),
      phrase(String.raw`\bshock(ed)? (at|about|by|over|when (i|we) saw) (the |your |his |their )?(\w+ )?(price|quote|bill|cost|invoice)s?\b`),
    ],
    pattern: re(
      String.raw`^(?=[^]*\b(${LIVE_PARTS}|taps?|metal|radiators?|cooker|oven|kettle|appliance|shower|washing machine|fridge|toaster|light)\b)[^]*?(\b(got|get|getting|had|gave me|giving|took)( me)?( a| an)?( \w+)? (electric )?shocks?\b|\belectrocuted\b|\bshock(ed|s)? (me )?(off|from|when)\b|\b(proper|real|nasty|big|bad) shock\b|\bfelt( a| an)?( \w+)? shocks?\b)`,
    ),
  },
  {
    reason: 'exposed wiring',
    trade: 'electrical',
    tradeUnless: LEAK_IS_THE_CAUSE,
    advice: ELECTRIC_ADVICE,
    pattern: re(
      String.raw`\b(bare|exposed|live|naked)( \w+)? (wires?|wiring|cables?|cores?|copper)\b|\bcopper( \w+){0,2} (showing|exposed|sticking out)\b|\bsee the (copper|wires)\b|\bdangling by (the |its )?(wires?|cables?|flex)\b|\b(wires?|wiring|cables?)( are| is)?( just)? (dangling|hanging (down|there|loose))\b|\b(cable|wire|line)s? (has |have |s )?(come|came|fallen|fell) (down )?(off|from) (the )?(pole|post|wall|house)\b|\b(wires?|wiring|cables?)\b.{0,20}\b(hanging|sticking|poking) out\b|\b(wires?|wiring|cables?|cores?)( \w+){0,2} (are |is )?(exposed|bare|showing)\b`,
    ),
  },
  {
    reason: 'water near electrics',
    advice: ELECTRIC_ADVICE,
    pattern: re(
      [
        String.raw`\b${WET}.*\b${WETTABLE_ELECTRICS}\b|\b${WETTABLE_ELECTRICS}\b.*\b${WET}`,
        // A bare "light" is too common a word ("red light on the boiler"), so
        // it counts only as the place the water goes: into, through, out of the light.
        String.raw`\b${WET}.*\b(into|onto|on|through|out of|out|from|round|around|behind|over|in) (the|a) (\w+ )?lights?\b`,
        String.raw`\b(the|a) (\w+ )?lights?( \w+){0,5} (is |are |has |have |been )*(full of|filling|filled|leaking|dripping|wet)\b|\b(sockets?|electrics|plugs|fuse ?box|meter)( \w+){0,3} (were |are |is |been |went |gone )?(under( water)?|submerged|flooded)\b`,
        // The water has reached them: the lights or the power went off where it is running.
        String.raw`(?<!\bno )\b${WET}${SAME_SENTENCE}\b(lights?|power|electrics|electricity|sockets|lecky|leccy)( \w+){0,2} (have |has |had |s |just |all )*(gone|went|cut) (off|out)\b`,
      ].join('|'),
    ),
    // "Trips every time it rains" is a fault to find, not water in the electrics now.
    ignore: [
      phrase(WATER_PRODUCTS),
      phrase(ELECTRIC_APPLIANCES),
      phrase(WATER_IN_THE_PAST),
      phrase(String.raw`\b(every time|whenever|when|if) (it|we get) (rains?|heavy rain|wet)( heavy| hard)?\b`),
    ],
  },
  {
    reason: 'sewage overflow',
    trade: 'drainage',
    advice: SEWAGE_ADVICE,
    pattern: re(
      [
        String.raw`\bsewage\b|\bsewer\w* (backing|coming|overflow\w*|flood\w*|leak\w*|bubbl\w*)`,
        // A drain outside that overflows into the home.
        String.raw`\b(drains?|manholes?|gull(y|ies)|grids?)\b( \w+){0,6} (overflow\w*|backing up|backed up|coming up|spilling) (into|onto|in|through) (the )?(kitchen|house|home|hall\w*|utility|flat|back door|extension|cellar|basement)\b`,
        String.raw`\b(poo|poop|faeces|feces|excrement|turds?|human waste)\b`,
        String.raw`\b(manholes?|drains?|grids?|gull(y|ies)|inspection chambers?)\b.{0,60}\b(pouring|gushing|spilling|overflowing|bubbling|running) (out )?(down|onto|over|across|all over) (the )?(drive|path|pavement|street|road|footpath)\b`,
        String.raw`\b(inspection chambers?|soil (pipe|stack)s?)\b.{0,40}\b(overflow\w*|flood\w*|backing up|backed up|spilling|bubbling|coming up|brimming)`,
        // A manhole overflowing in the garden is a blocked drain; inside the home it is sewage on the floor.
        String.raw`^(?=.*\b(kitchen|extension|inside|indoors|floor|hall\w*|cellar|basement|utility)\b).*\bmanholes?\b.{0,60}\b(overflow\w*|flood\w*|backing up|backed up|spilling|bubbling|coming up|seeping|oozing|lifting)`,
            String.raw`^(?=.*\b(kitchen|extension|indoors|floor|cellar|basement|utility|bathroom)\b).*\b(toilet (water|paper)|paper and all)\b.{0,40}\b(overflow\w*|everywhere|all over|coming up|spreading|deep)|\boverflow\w*.{0,40}\btoilet (water|paper)\b`,
        // Described, not named: an outlet or manhole overflowing, and what comes out is not clean.
        String.raw`^(?=[^]*\b(toilets?|loos?|wc|manholes?|drains?|shower trays?|plugholes?|gull(y|ies)|grids?|inspection chambers?|baths?|(metal |drain |manhole )?covers?|air ?bricks?)\b)(?=[^]*\b${FOUL}\b)[^]*\b(coming (back )?up|coming out( of)?|pushing up|seeping up|(sitting|standing) in (it|the bath)|starting to fill|bubbling|over the top|overflow\w*|pouring out|spilling|backing up|onto the floor|coming under|rising|(half )?full of|up to the (rim|brim|top)|creeping|spreading|(dripping|leaking|coming|running) (down )?(through|from) (the |our |my )?(\w+ )?ceiling|(went|gone|goes|going|came|coming|brimming|spilling) over|(all )?over (the |my |our )?(\w+ )?(floor|carpet|lino|bathroom|kitchen|place)|seeping (into|across|onto|under)|(in |right )?under (the |our |my )?(\w+ )?door|across (the |our |my )?(floor|path to the (\w+ )?door)|fill\w*( \w+){0,4} with|ris(es|ing) (back )?up|welling up)\b`,
        // Dirty water coming up out of an outlet is what was flushed somewhere else.
        String.raw`\b(brown|dirty|black|filthy|foul|mucky|smelly|disgusting)( \w+)? water\b.{0,40}\b(bubbl\w*|com\w* (back )?up|backing up|up (out of|through|in))`,
        String.raw`\bfill(s|ing)? (up )?with (brown|dirty|black|filthy|foul|mucky|smelly)( \w+)? water\b.{0,40}\bflush\w*|\bflush\w*\b.{0,40}\bfill(s|ing)? (up )?with (brown|dirty|black|filthy|foul|mucky|smelly)( \w+)? water\b`,
        String.raw`\b(toilet|loo|wc)s? (is |keeps |has |have |are |just |started )*(overflow\w*|backing up|backed up|coming back up|bubbling up|erupting|spewing|exploding)|\b(coming|came|pouring|spilling) out of the (toilet|loo)( \w+){0,3} (onto|on to|all over|over) the (\w+ )?floor\b|\boverflowing (toilet|loo)|^(?=[^]*\b(toilets?|loos?|wc)\b)[^]*\b(chucking|throwing|bringing|spewing|coming) (it |everything |whatever( goes down)? )?back up\b`,
        // The pan filling to the rim and over it onto the floor.
        String.raw`^(?=[^]*\b(toilets?|loos?|wc|pan|bowl)\b)[^]*\b(com\w*|spill\w*|pour\w*|go\w*|run\w*|flow\w*|is|s|its|it is|gone|went) (back )?over the (rim|top|edge|brim)\b`,
        String.raw`^(?=[^]*\bflush\w*)(?=[^]*\b${FOUL}\b)[^]*(\b(sinks?|basins?)\b.{0,40}\b(fill\w*|over the top|overflow\w*|coming up|backing up)|\b(coming|came|come|bubbling|welling) (back )?up (out of|through|from) (the )?(\w+ )?(sinks?|basins?|plughole|waste))`,
        // What is flushed coming back up somewhere else is foul water in the home.
        String.raw`^(?=.*\b(toilets?|loos?|wc|flush\w*)\b).*\b${BACKS_UP}|^(?=[^]*\b(drains?|sewers?|manholes?)( \w+){0,3} (backed|backing|blocked|overflow\w*|is just overflow\w*)\b)[^]*\b${BACKS_UP}`,
      ].join('|'),
    ),
    ignore: [
      // A drain that smells is a routine job; sewage in the home is not.
      phrase(String.raw`\b(sewage|sewer|drains?) ${SMELL}|\b${SMELL} (of|like) (a )?(sewage|sewer|drains?)\b`),
      phrase(String.raw`\bsew(age|er) (pumps?|pipes?|treatment|works|surveys?|connections?)\b`), // a burst or leak there is caught by its own rule
      // Grey water from the washing machine backing up a drain is a blockage; only what is flushed is sewage.
      phrase(String.raw`^(?=[^]*\b((washing machine|dishwasher|sink|bath|shower)s?\b( \w+){0,3} (empties|empty|runs|run|drains|emptying|running|is used|used|going)|(washing machine|dishwasher) (water|waste))\b)(?![^]*\b(toilets?|loos?|wc|poo|sewage|paper|flush\w*|bits)\b)[^]*`),
      // Overflowing in the garden with nothing in the house yet is a blocked drain, urgent but outside.
      phrase(String.raw`^(?=[^]*\b(garden|lawn|yard|driveway|outside)\b)(?=[^]*\b(nothing|none of it|not)( \w+){0,3} (in|inside|into)( the)? (house|home|flat)\b)[^]*`),
    ],
  },
  {
    // Sagging or falling plaster is water the ceiling is holding, or rain
    // through the roof: the danger is the ceiling coming down as much as the water.
    reason: 'ceiling could come down',
    advice: CEILING_ADVICE,
    pattern: re(
      [
        String.raw`\bceilings?(?! roses?)([\s,.-]+\w+){0,12} (come down|came down|coming down|collaps\w*|caved in|caving in|fallen( in)?|fell( in)?|falling in|sagg\w*|bow(ing|ed)|bulg\w*|droop\w*|dropp(ed|ing)|dipp\w*|bell(ied|ying|ies)|hanging (down|low)|gone heavy|heavy with water|sinking|balloon\w*|like a (\w+ )?(sack|balloon|bag|belly|bubble)|(popping|creaking|cracking|groaning) (noises?|sounds?)|creak\w*)\b`,
        String.raw`\bplaster\w*\b.{0,20}\b(on|all over) (the )?(bed|floor|carpet|sofa|settee|table)\b|\bceilings?\b(?! roses?).{0,140}\b(creaking|cracking|groaning) (noises?|sounds?)|^(?![^]*\b(roses?|light|lights|fitting|bulb|socket|switch|wires?|wiring|flash\w*)\b)[^]*\bceilings?\b.{0,140}\bpopping (noises?|sounds?)`,
        String.raw`\b(plaster|plasterboard)\b.{0,40}\b(come off|came off|coming off|fallen|fell|falling|coming down|come down|came down|dropp\w*|coming away|came away|sagg\w*|bulg\w*)`,
      ].join('|'),
    ),
  },
  {
    reason: 'escaping water',
    advice: WATER_ADVICE,
    pattern: re(
      [
        String.raw`\bburst\b|\b(bust|busted|split) (\w+ )?(pipes?|hoses?|tanks?|radiators?|mains?|joints?)\b`,
        // "the pipe has gone" is British for burst; "gone cold" or "gone quiet" is not.
        String.raw`\b(pipe|hose|tank|cylinder|(?<!gutter(ing)? )joint|fitting|radiator)s?\b.{0,30}\b(split|snapped|bust|blown|come off|came off|let go|given way|gave way|popped|come apart|came apart|(has |have )?(gone|went)(?=\s*([.,!;\n]|$|and |on (me|us)|in the)))`,
        String.raw`\bflood(s|ing|ed)?\b|(?<!\b(sink|bath|basin|toilet|loo|tray|bowl|pan|bucket|kettle|tank)( \w+){0,2} )\b(filling|filled|full) (up )?(with|of) water\b|\b(ankle|knee|inches?|cm|feet|foot) deep\b|\bunder ?water\b`,
        String.raw`\b(water|it|its|pipe|tap|tank|boiler|radiator|cylinder)\b.{0,30}\b(pouring|gushing|spraying|spurting|squirting|jetting|shooting|pissing|peeing|pumping|streaming|cascading|lashing|chucking|bucketing|teeming|bubbling up)\b`,
        String.raw`\b(water|it|its)\b.{0,60}\b(running|pouring|coming|flowing|cascading|streaming) down the stairs\b|\b(ceiling|rose|light|wall)\b.{0,40}\blike a (tap|hose)\b|\bfloor is (all )?(water|flooded|under water)\b|^(?=[^]*\b${WET})[^]*\b(cant|cannot) (turn|shut|switch|stop|close) it( off)?\b|\blike a (swimming pool|paddling pool|river|lake)\b`,
        // "Everywhere" is water's only where the text is about water: "dust everywhere" is builders.
        String.raw`\b(water|pipe|tap|tank|boiler|radiator|cylinder)\b.{0,30}\beverywhere\b|^(?=[^]*\b(water|leak\w*|pipes?|burst|flood\w*)\b)[^]*\b(it|its)\b.{0,30}\beverywhere\b`,
        String.raw`\bspill\w*( over)? (inside|in|into|onto|on|through) (the )?(loft|landing|floor|kitchen|bathroom|ceiling|carpets?|house|flat|room)\b`,
        // "All over" the inside of a home: a tap that wobbles all over, or grey water all over the yard, is not a flood.
        String.raw`\bwater\b.{0,20}\ball over (the |my |our )?(\w+ )?(floor|kitchen|bathroom|house|flat|place|landing|hall\w*|carpets?|room|ceiling|walls?)\b`,
        String.raw`\b(pouring|gushing|spraying|pissing|pumping|streaming) (out|everywhere|all over|from|through|in)\b`,
        String.raw`\bceilings?( \w+){0,5} (leaking|raining|pouring|gushing|streaming)\b`,
        String.raw`\bwater\b.{0,30}\b(coming|bubbling|welling|pushing) up (through|from|between) (the |her |his |their |my |our )?(\w+ )?(floor\w*|boards|skirting\w*)\b`,
        String.raw`\b(gushing|rushing|pouring|hissing water) (inside|in|behind|under|through) (the )?(\w+ )?(wall|walls|floor|floorboards|ceiling)\b|\b(a |like a )fountain\b|\bfountain (of water )?(coming|shooting|spraying|pouring|spurting)\b`,
        // The water meter turning with every tap off, and the wet to show for it.
        String.raw`^(?=[^]*\bmeter\b( \w+){0,4} (spinning|going round|whizzing|racing|turning|running|ticking|moving)\b)[^]*\b(wet|damp|puddl\w*|soak\w*|squelch\w*|water (coming|on|all over|everywhere|spreading))\b`,
        // Water heard where it should not be, with the wet to show for it; water coming through into the flat below.
        String.raw`^(?=[^]*\b(wet|soak\w*|sodden|squelch\w*|puddl\w*|lino|damp|dripping)\b)[^]*\b(hear|hearing|sound of|can hear)( \w+){0,4} (running|rushing|hissing|gushing|pouring|spraying)( \w+){0,3} (inside|in|behind|under) (the )?(\w+ )?(wall|walls|floor|floorboards|ceiling|panel|boxing|skirting)\b`,
        String.raw`^(?=[^]*\b(flat below|downstairs|neighbou?r\w*|below (me|us))\b)[^]*\b(coming|pouring|dripping|leaking|running|pissing) (through|into) (her|his|their|the neighbou?rs?) (\w+ )?(ceiling|kitchen|bathroom|flat|lounge|hall\w*|bedroom)\b`,
        // A floor squelching from end to end, with water heard running under it.
        String.raw`^(?=[^]*\b(whole|entire|right across|end to end|all over)\b[^]*\bsquelch\w*|[^]*\bsquelch\w*[^]*\b(whole|entire|right across|end to end|all over)\b)[^]*\b(running water|water running|rushing water|sound of (running )?water|water rushing)\b`,
        String.raw`^(?=[^]*\bsquelch\w*( \w+){0,8} (right through|all (over|through)|across|throughout|the whole|the entire|everywhere)\b)[^]*\b(running water|water running|rushing water|sound of water|water rushing)\b`,
        // Water that comes fast, or keeps on coming.
        String.raw`\b(water|it|its)\b( \w+){0,8} (coming|pouring|running|flowing|leaking|escaping)( \w+){0,7} (really |very |so )?(fast|quickly|heavily|much|strong|hard)\b|\bmuch water\b|\bwater( just)? keeps (on )?(coming|pouring|gushing|flowing)\b|\bmore (and more )?water keeps\b`,
        // Water (not rain, not a drip into a bucket) coming down the walls or through a ceiling is a flood upstairs.
        String.raw`^(?![^]*\b(rain\w*|storm\w*|drip\w*|bucket|slow|small|patch|dried|stain\w*|(it|its|has|water) stopped)\b)[^]*\b(water\w*|it|its|overflow\w*)\b.{0,40}\b(coming|come|running|pouring|streaming|flowing) (down|through) (the |their |our |my )?(\w+ ){0,2}(walls?|ceilings?)\b`,
        String.raw`\bturned (a |the )?(tap|valve|stopcock|stop tap)( \w+){0,4} (but|and) (its |it is |it s |water is )?still (coming|pouring|running|going|gushing)\b|\boverflow\w* (onto|on to|all over|across) (the )?(\w+ )?(floor|carpet|landing|hall\w*)\b`,
        String.raw`\bwater\b.{0,60}\b(spreading|creeping) (into|across|through|along) (the )?(hall|hallway|corridor|kitchen|lounge|room|floor|house|flat)\b`,
        // Water coming out under a neighbour's door is a flat flooding behind it.
        String.raw`^(?=.*\b(neighbou?rs?|next door|flat|upstairs|downstairs)\b).*\bwater\b.{0,40}\bunder\b.{0,30}\bdoor\b`,
        // Water escaping that nobody can stop: the stopcock will not turn, or cannot be found.
        String.raw`\b(cant|cannot|unable to) (turn|shut|switch) (off )?(the )?(water|mains|stopcock|stop tap|supply)\b`,
        String.raw`^(?=.*\b${WET}).*\bstop ?(cock|tap|valve)s?\b.{0,20}\b(wont|cant|will not) (budge|turn|move|shut|close)|^(?=[^]*\b${WET})[^]*\b((cant|cannot) find|(dont|do not|doesnt|does not) know where) (the |a |our |my )?(stop ?(cock|tap|valve)|tap|valve|mains)`,
      ].join('|'),
    ),
    ignore: [
      phrase(String.raw`\bburst of\b`),
      phrase(String.raw`\bflood ?lights?\b|\bflood (risk|zone|insurance|warning|defences?)\b`),
      phrase(WATER_IN_THE_PAST),
      // Stood ankle deep in a shower that will not empty is a blockage, not a flood.
      phrase(String.raw`^(?=.*\b(shower|bath|tray|basins?|sinks?)\b.*\b(wont|not|isnt|doesnt|stop|stopped) (empty|drain\w*)).*`),
      // "It's been pouring all day" is the weather.
      phrase(String.raw`\b(its|it is|it s|it has|been)( been)? (pouring|chucking|bucketing|lashing|tipping)( it)?( down)? (all|since|for|non ?stop)\b`),
      // An overflow pipe running outside is water that will not turn off, not a flood.
      phrase(String.raw`\boverflow( pipe)?\b.{0,40}\b(pouring|gushing|streaming|pissing|running)\b|\b(pouring|gushing|streaming|pissing|running) (out )?(of |from )?(the )?overflow( pipe)?\b`),
      // The boiler's flue pluming on a cold morning is steam, not water.
      phrase(String.raw`\b(steam|vapou?r|white (cloud|smoke)|plume)( \w+){0,3} (pouring|coming|billowing|pumping|streaming)\b`),
      // Rain coming in is a roof letting it in: urgent, with the roofer's trade, unless a ceiling is coming down (above).
      phrase(String.raw`\brain\w*( is| s| has been| been| keeps)? (pouring|coming|pissing|streaming|gushing|running)( down)?( in| through)?\b`),
      phrase(String.raw`\brain\w*\b.{0,40}\b(its|it is|it s) (pouring|chucking|bucketing|lashing|tipping)\w*( it)?( down)?`),
    ],
  },
  {
    reason: 'someone shut inside',
    trade: 'locksmith',
    advice: PERSON_INSIDE_ADVICE,
    ignore: [phrase(String.raw`\b(boiler|heating|system|it)s?( \w+){0,2} (locked|locking|locks) out\b`)],
    // A child or vulnerable person behind a door nobody can open, someone
    // fallen behind a locked one, a child shut out alone, or anyone with no way out.
    pattern: re(
      [
        String.raw`^(?=.*\b(doors?|lock\w*|keys?|slammed|shut)\b).*\b(${VULNERABLE})\b.{0,40}\b(inside|in there|locked (\w+ )?in|trapped|stuck in (there|the (house|flat|room|bathroom|bedroom|toilet|loo|car))|in (the|her|his|their|my) (\w+ )?(cot|bouncer|pram|high ?chair|bed|room|house|flat|lounge|kitchen|bedroom|bath))\b`,
        String.raw`\b(${VULNERABLE})\b.{0,60}\b(inside|in there|in (the|her|his|their|my) (\w+ )?(cot|bouncer|pram|house|flat|room))\b.{0,60}\b(locked|shut|slammed|keys?)\b`,
        // Someone confused or frail who has locked themselves in and cannot undo it.
        String.raw`^(?=.*\b(dementia|alzheimers|vulnerable|disabled|wheelchair|frail|confused|elderly)\b).*\b(locked (\w+ ){0,3}(from )?(the )?inside|(cant|cannot|unable to) (open|unlock|turn)|locked (\w+ )?in)\b`,
        String.raw`^(?=.*\b(doors?|lock\w*|keys?)\b).*\b(${VULNERABLE})\b.{0,120}\b(fallen|fell|collapsed|gone down|went down|wont answer|cant answer|cant get up|unconscious|not answering|on the (?!(top|ground|first|second|third|bottom|upper|lower|same) )(\w+ )?floor)\b`,
        String.raw`^(?=[^]*\b(${CHILD_OR_FRAIL})\b)(?=[^]*\b(lock\w*|deadlock\w*|latch\w*|bolt\w*|knob|handles?|turn lock|keys?)\b)[^]*\b(jammed|stuck|screaming|crying|(shut|locked|locking|bolted|bolting|shutting) (herself|himself|themselves|hersel|hissel) in(to)?|cant (turn|open|undo|get|reach)( it| the handle| the lock)?( back| open| out)?|wont answer|not answering|(locked|locks) from (his|her|their|the other|the inside) side)\b`,
        // A child shut in behind a door that will not open.
        String.raw`^(?=[^]*\b(${CHILD_OR_FRAIL})\b)[^]*\b(stuck|shut|trapped|locked)( \w+){0,3} (in|behind|inside)\b[^]*\b(wont (open|budge|move|give)|jammed|(cant|cannot) (open|get (it|the door|them|him|her) open))`,
        // A child or vulnerable person who has bolted or locked a door and cannot undo it.
        String.raw`^(?=.*\b(${CHILD_OR_FRAIL})\b)(?=.*\b(bolt\w*|locked|lock)\b).*\b(cant|cannot|wont|unable to) (get (it|the bolt|the door|them|her|him) (back|open|out)|undo|open|unlock|work out|(slide|pull|push|move|turn) it back)`,
        // A child alone behind a lock they have flicked, a confused person who has put the chain on.
        String.raw`^(?=[^]*\b(lock\w*|bolt\w*|latch\w*|chain|shut|door)\b)[^]*\b(${CHILD})\b[^]*\b(alone|on (her|his|their) own|by (herself|himself))\b|\b(cant|cannot) get (him|her|them) to (slide|pull|push|move|turn|open|undo)\b|^(?=[^]*\b(dementia|alzheimers|confused)\b)[^]*\b(put the chain on|(cant|wont|cannot) (take|get) (it|the chain) off)\b`,
        // Someone frail inside whose door will not open from outside, or who has not answered it.
        String.raw`^(?=[^]*\b(${FRAIL}|carer|client)\b)(?=[^]*\b(inside|in (her|his) (bungalow|flat|house|home))\b)[^]*\bkeys?( \w+){0,4} (wont|will not|doesnt|cant) (turn|open|work)|^(?=[^]*\b(${FRAIL}|neighbou?r|mum|dad|nan|gran)\b)(?=[^]*\b(doors?|locked|milk|curtains|post)\b)[^]*\b(hasnt|has not|not|havent|have not) (answered|been answering|opened|responded|been seen)\b`,
        String.raw`\b(${CHILD_OR_FRAIL}|boy|girl)\b.{0,80}\b(cant get (back )?in|${SHUT_OUT}|(shut|slammed|closed) on (him|her|them))\b|\b(${SHUT_OUT})\b.{0,80}\b(${FRAIL}|${CHILD_AGE})\b`,
        // Someone behind a door who does not respond, or whose carer cannot get in.
        String.raw`^(?=[^]*\b(doors?|lock\w*|keys?|key ?safe|window)\b)[^]*\b((not|isnt|wasnt|hasnt been) (responding|answering|moving|waking)|unresponsive)\b|\b(carers?|nurses?|care workers?)( \w+){0,3} (cant|cannot|couldnt|unable to) get in\b`,
        // Someone trying to force their way in while the household is inside.
        String.raw`^(?=[^]*\b(police|scared|terrified|threaten\w*|violent|kids|children|baby)\b)[^]*\b(ex|someone|somebody|a man|a guy|he|they|men)( \w+){0,3} (is |s |are |keeps )?(trying|tried|threatening) to (get|break|force (his |her |their )?way|kick (the |my |our )?door) in\b`,
        // A child shut in a car with the keys.
        String.raw`^(?=[^]*\bkeys?\b( \w+){0,3} (locked |shut |left )?in (the |my |our )?car\b|[^]*\blocked in the car\b|(?=[^]*\b(car|car seat|van)\b)[^]*\bkeys? (are |is )?((locked|shut) )?inside\b)[^]*\b(${CHILD_OR_FRAIL}|dog|baby)\b|\b(locked|locking|shut) (herself|himself|themselves) in(to)? the car\b|\bshut (my |the |our )?(\w+ )?(${CHILD_OR_FRAIL}|one|baby) in the car\b`,
        // Shut out, with the medicine someone needs inside.
        String.raw`^(?=[^]*\b(${SHUT_OUT})\b)[^]*\b(inhaler|medication|medicine|tablets|insulin|epi ?pen|oxygen)( \w+){0,4} (is|are|s) (inside|in the house|in there|on the (\w+ )?(table|side))\b`,
        // Someone hurt, or the ambulance already called.
        String.raw`\b(fell|fallen|came|come|slipped) off (the |a |his |her )?(ladder|roof|scaffold\w*|steps)\b|\b(hurt|injured) (himself|herself|themselves|myself|his \w+|her \w+|my \w+)( really)? (bad|badly)\b|\b(called|calling|rang|phoned|ring|call) (an? |for an? )?(999|ambulance|fire brigade|fire service)\b`,
        String.raw`\b(cant|cannot) get out\b(?! (that|this|the (front|back)) (way|door))|\bno (other )?way out\b|\b(i|im|i am|ive been|we|were|we are|he|hes|she|shes|they|theyre|${VULNERABLE}|someone|somebody|friend|lodger|tenant)( \w+){0,3} (locked|trapped|stuck|shut) in (the |my |our |his |her |a )?(\w+ )?(house|flat|home|bathroom|toilet|loo|room|bedroom|wc|cloakroom|en ?suite|lift)\b|\b(locked|trapped|stuck) in (the |my |our )?(house|flat|home|bathroom|toilet|room)\b(?! (plughole|drain|pipe|u ?bend|pan|bowl|waste))`,
        String.raw`\b(${VULNERABLE}|${FRAIL})( \w+){0,2} (is |s )?(locked|trapped|stuck|shut) in(side)?\b(?=\s*($|[.,!?;]|and\b|with\b|there\b|here\b|on (her|his|their) own))`,
        // "I'm locked in": someone with no way out of where they are.
        String.raw`\b(im|i am|were|we are|ive been|weve been|(s?he|they)( is| s| are)?) (locked|trapped|shut) in\b(?! (the )?(garden|shed|car|yard|traffic))`,
      ].join('|'),
    ),
  },
  {
    reason: 'structural danger',
    trade: 'roofing',
    advice: STRUCTURE_ADVICE,
    ignore: [phrase(String.raw`\bicicles?( are| is)? (hanging|dangling)\b`)],
    pattern: re(
      [
        String.raw`(?<!\b(flashing|lead|felt|pointing)( \w+){0,3} )\b(chimney( stack| pot)?|stack|bricks?|masonry|gable( end)?|parapet|coping( stones?)?|(chimney )?pots?|render|stone ?work|stones?)\b.{0,80}\b(bulg\w*|come away|came away|coming away|leaning|loose|lying in|off the top|collaps\w*|falling|fallen|fell|coming down|come down|came down|(?<!\b(mortar|pointing|render)( is| s| has been| been)? )crumbling|slid (out|forward|down|off)|slipped out|shifted|tilt\w*|wonky|come over|(got|has) a (\w+ )?lean|bits (keep )?(falling|dropping)|hanging off|toppl\w*|${COULD_FALL})\b`,
        // Roof material coming down where people walk, not just missing from the roof.
        String.raw`\b(slates?|tiles?|bricks?|masonry|chimney)\b.{0,40}\b(onto|on to|into) (the )?(pavement|path|footpath|road|street|drive|people|pedestrians|cars?|neighbours)\b`,
        String.raw`\b(bricks?|masonry|slates?)( \w+){0,3} (are |is |lying |all )*(on|all over) (the )?(pavement|path|footpath|road|street|drive)\b`,
        String.raw`\broofs? (has |have |is |been |got |just )*(ripped|blown|torn|come|came) off\b|\broofs?( \w+)? (collapsed|caved in|fallen in|fell in)\b`,
        // Hanging loose over a door or path that people use.
        String.raw`\b(tiles?|slates?|ridge|guttering|gutters?|downpipes?|bricks?|chimney|masonry|fascias?|soffits?|(barge ?|gable )?boards?|timber|coping|aerial|satellite dish)\b.{0,80}\b(hanging|dangling|swinging|leaning|loose|come away|came away|moving)\b.{0,60}\b(above|over|onto|on to)( the| our| my)? (front |back )?(door|path|footpath|pavement|drive|driveway|entrance|doorway|steps|street|road|people|kids|children)\b`,
        // Something loose over where people go: the object, its state and the people, anywhere in the texts.
        String.raw`^(?=[^]*\b(gutter\w*|tiles?|slates?|bricks?|chimney( pot)?|coping|masonry|render|fascias?|aerial|downpipes?)\b)(?=[^]*\b(hanging|hinging|swinging|dangling|leaning|loose|come away|coming away|cracking|moving|${COULD_FALL}|(could|might|will|itll|going to) (fall|drop|go|land|come down))\b)[^]*\b(doors?\w*|doorway|path|pavement|customers?|(someone|somebody)(?! (to |could |can |will |have |take |come |pop |give |check |look |round |out ))|postman|people|folks?|kids|children|childer|bairns|weans|head|steps?|entrance|passers ?by|walk (underneath|under))\b`,
        String.raw`\b(come|fall|drop|land) (down )?on (somebody|someone|people|anyone|us|the kids|a child|a kid|a customer)\b|(?<!\b(nobody|no one|noone|never|dont|doesnt|not)( \w+)? )\bwalk(s|ing)? under (it|them|there|that)\b`,
        String.raw`\b(slates?|tiles?|bricks?|brickwork|masonry|render|stones?|terracotta|bits|chunks|lumps|pieces|guttering|chimney pots?|coping( stones?)?)\b.{0,100}\b(smash\w*|land\w*|crash\w*|fall\w*|fell|dropp\w*|sliding|slid|come down|coming down|came down|come off|coming off|came off|flying off)\b.{0,30}\b(on|onto|into|next to|beside|inches from|just missed|near)( the| my| our| a)? (front |back |garden )?(path|pavement|road|street|lane|footpath|alley|drive|driveway|car|cars|doorstep|front steps?|steps|people|someone|somebody|son|daughter|kids?|child|children|wife|husband|partner|neighbou?rs?|next doors?|conservatory|greenhouse|garden|yard|me|us)\b`,
        // Something off the roof that just missed someone, and bits of it still coming down.
        String.raw`^(?=[^]*\b(tiles?|slates?|bricks?|chimney|gutter\w*|masonry|render|coping)\b)[^]*\b(just missed|nearly hit|narrowly missed|nearly had one on)\b|\bbits of (tile|slate|brick|stone|render|masonry|chimney|pot)s?( \w+){0,3} (keep |are |have been )?(dropping|falling|coming off|landing)\b`,
        // A stretch of roof torn loose by the wind, not a slipped tile.
        String.raw`\b(section|part|half|bit|chunk|piece|sheet|corner)s? of (the )?(\w+ )?roof\b.{0,30}\b(flapping|lifting|peeling|coming off|coming away|come away|blowing|moving|banging)\b`,
        String.raw`\b(chimney( stack)?|stack|coping( stones?)?|parapet|stones|bricks|masonry)\b.{0,80}\b(mov(es|ed|ing)|rock(s|ing)|wobbl\w*|sway\w*)\b`,
      ].join('|'),
    ),
  },
  {
    reason: 'something left on behind a locked door',
    trade: 'locksmith',
    advice: LEFT_ON_ADVICE,
    pattern: re(
      String.raw`^(?=.*\b(locked (\w+ )?out|cant get (back )?in|door)\b).*(\b(pans?|pots?|chip pans?) on the (hob|cooker|stove)\b|\b(cooker|oven|hob|grill|iron|hair straighteners|candles?)( is| are| still| left)* (on|lit)\b|\bbath( is| still)? (running|filling)\b)`,
    ),
  },
  {
    reason: 'property cannot be secured',
    trade: 'locksmith',
    // A break-in, or the only way in left open: a home that cannot be locked tonight.
    pattern: re(
      String.raw`\bcant (secure|lock up)\b|\b(doesnt|wont|will not|cant|does not) (close|shut|lock)( \w+)? at all\b|\b(cant|cannot|couldnt|wont|nothing (i|we) can do (will|would)) (make|get|keep) (the |it |this |our |my )?(\w+ )?(secure|locked)\b|\b(wont|doesnt|will not) stay (shut|closed)\b|\b(just )?(swings|pushes|blows|falls|slides) (wide )?open\b|\bdoor (just )?swings\b|\b(latch|lock)( or (lock|latch))? at all\b|\bcant leave (it|the (\w+ )?door|the (house|flat|place|property))( \w+)? (open|unlocked|like (this|that)|all night|overnight)\b|\bwont lock at all\b|\bcant (lock|secure|shut|close) (it|them|the (\w+ )?door)( \w+)? at all\b|\b(lock|door)( has| is| s)? jammed (with the door |wide )?open\b|\b(house|home|flat|back|front|property|place)( \w+){0,4} (is |s )(wide open|open to anyone|insecure|not secure)\b|\bonly (door|way in)\b.*\b(wont|cant|doesnt)\b|\b(wont|cant|doesnt) (lock|shut|close)\b.*\bonly (door|way in)\b|^(?=[^]*\b(${BURGLARY}|forc(e|ed|ing)|tried to (get|break) in|jemmied|kicked (in|the door)|smashed (the |our |my )?(\w+ )?(door|lock|window))\b)[^]*\b(wont|cant|doesnt|will not) (lock|shut|close|catch)\b`,
    ),
  },
  {
    reason: 'locked out or insecure property',
    trade: 'locksmith',
    pattern: re(
      [
        String.raw`\block(ed|ing) (\w+ )?out\b|\bno (other )?way in\b|^(?=[^]*\b(got home|get home|front door|door|mortice|yale)\b)[^]*\bkeys?( \w+){0,3} (are |is )?(still )?(at work|on my desk|in the office|at the office)\b|\b(on )?the wrong side of (it|the door)\b|\bcant get (back )?in\b|\bcant get (back )?into (my|the|our)( own)? (house|home|flat|property|place)\b|\bshut (\w+ )?out\b`,
        // Locked out, described rather than named.
        String.raw`^(?=[^]*\bkeys?\b)[^]*\b(shut|closed|slammed|pulled) (the )?(front |back )?door (to |shut )?(behind|on) (me|us|myself|ourselves)\b`,
        String.raw`\b(door|it)( had| has| is|s)?( (pulled|slammed|blown|swung|clicked|banged))? (shut|closed|to) behind (me|us|him|her|them)\b|\bkeys?( \w+){0,2} (wont|will not|doesnt|cant) (even )?go in\b|\blocked (the |my |our )?keys? in(side)?\b|\b(stood|standing|stuck|sat) (on (my|the) doorstep|outside)\b.{0,40}\bkeys?\b|\bkeys?( are| is)? locked in(side)?\b|^(?=.*\b(cant get (back )?in|wont open|outside|stuck|locked)\b).*\b(lost (my |our |the )?(\w+ )?keys?|keys? (are |is |been |have )?(lost|missing|gone missing))\b|\bkeys?\b.*\b(sat|stood|standing|stuck|sitting) (on (my|the) doorstep|outside)\b|\b(get|let) (me|us|them) (back )?in(to|side)?\b(?! (touch|on))|^(?=.*\b(doors?|keys?|locks?)\b)(?=.*\b(stood|standing|outside|doorstep|got home|get home|shopping)\b).*\b(wont|cant|cannot|doesnt) (open|unlock|let me in)\b|\bkey ?safe( \w+){0,3} (wont|cant|doesnt|will not) open\b|\bnowhere (else )?to (go|stay|sleep)\b|^(?=[^]*\bkeys?\b)[^]*\b(stood|standing|stuck|sat|sitting) (on (my|the|her|his)( own)? (doorstep|landing|step|steps|stairs)|outside|in the (car|corridor|hall(way)?|stairwell|street))\b|\bkeys?( \w+){0,6} (stolen|lost)\b|\b(lost|left|dropped|forgot) (my|our|the) (house |door |front door )?keys?\b.{0,60}\b(stuck|stood|standing|sat) outside\b`,
        String.raw`\b(${BURGLARY}|forced entry|kicked (the door )?in)\b`,
        // A lock that has failed with the customer on the wrong side of it.
        String.raw`^(?=[^]*\b(on the outside|(stood|standing|stuck|sat|sitting|waiting) (outside|on the doorstep)|on the doorstep|outside (the|my|our) (front |back )?(door|house|flat))\b)[^]*(\bkeys? (has |is |got )?(snapped|broke\w*)( off)? in\b|\bkeys?( \w+){0,7} (wont|doesnt|cant|will not) (turn|go in|work)\b|\b(cant|wont|cannot) (open|unlock) (the )?(\w+ )?door\b)`,
      ].join('|'),
    ),
    ignore: [
      phrase(String.raw`\b(boiler|heating|system|it)s?( \w+)? (locked|locking) out\b`), // a boiler lockout is a fault code
      phrase(String.raw`\bcant get in (touch|until|till|til|before)\b`),
      // Locked out of an outbuilding still leaves the customer a home to be in.
      phrase(String.raw`\blocked (\w+ )?out (of )?(the |my |our )?(\w+ )?(garage|shed|outhouse|summer ?house|workshop|garden|loft|attic)\b`),
    ],
  },
];

const URGENT_RULES: Rule[] = [
  {
    reason: 'no heating or hot water',
    pattern: re(
      [
        String.raw`\bno (\w+ )?(heating|heat|hot water)\b`,
        String.raw`\b(cant|cannot|not) get (any )?(heating|heat|hot water)\b|\b(not had|havent had|hasnt had|had no|been without)( any)? (heating|heat|hot water)\b|\b(not|isnt) (giving|producing|making)( us)?( any)? (heat|heating|hot water)\b`,
        String.raw`\b${HEAT_SYSTEM}\b.{0,50}${HEAT_FAILING}`,
        String.raw`\b${HEAT_SYSTEM}\b( and \w+( \w+)?)? (both|all|gone|went|keeps going) off\b`, // "heating and water both off"
        String.raw`\bhot water( \w+){0,2} (stone cold|freezing|cold|lukewarm|not hot|not getting hot|wont get hot)\b`,
        String.raw`\bonly (getting |get |got |coming )?cold( water)? (out of|from|in) (every|all|any|the)\b`,
        String.raw`\b(showers?|hot taps?|hot water)\b.{0,30}\b(freezing|stone|ice|icy|only|just|running|runs|ran|went|gone|goes|going|was|is|are|been)( \w+)? cold\b|\bhot taps?( \w+){0,3} (cold|the same)\b`,
        // Every radiator cold is no heating; cold at the top or bottom is air or sludge, for a routine visit.
        String.raw`\bnothing( has| s)?( been)? (warm|hot)\b`,
        String.raw`^(?=[^]*\b(radiators?|rads?|heating)\b)[^]*\b(most|all|half|none)( of them| of the (rads|radiators))? (are |is |stay |stayed )?(cold|freezing|stone cold)\b|\b(house|home|flat|it)( is| s)( only)? ([0-9]|1[0-4]) ?(degrees|c)\b`,
        String.raw`(?<!\b(tops?|bottoms?) of (the |my |our )?)\b(radiators|rads)( are| all| is| stone| still)* (cold|freezing)\b(?!( \w+)? (at|in) the (top|bottom|middle))`,
      ].join('|'),
    ),
  },
  {
    reason: 'active leak',
    pattern: re(
      [
        String.raw`\b(leak\w*|drip\w*|weep\w*|seep\w*)\b|\bletting (the )?(water|rain) in\b|\b(water|rain|it|its)\w*( (?!(pigeons?|birds?|mice|rats?|squirrels?|wasps?|bees?|something|someone|they)\b)\w+){0,6} (is |s )?(coming|getting|running|pouring) (in|into|through)\b|\bwater( \w+){0,2} (coming|leaking|seeping|pooling|escaping) (out )?(from|of|under|round|around|behind)\b`,
        // A leak nobody can see yet: a floor that squelches, water heard under it, a meter turning with every tap off.
        String.raw`\bplop\w*|\bwater( \w+){0,2} (running|trickl\w*|dripping|coming|seeping) down (the )?(inside|wall|walls|window)|\bsquelch\w*|\bwater( \w+){0,2} running (under|behind|inside|in) (the )?(floor|floorboards|wall|ceiling)|\b(wet|damp) patch\w*( \w+){0,6} (getting|keeps getting|spreading|growing|bigger)\b`,
        String.raw`\bmeter\b.{0,40}\b(spinning|going round|turning|ticking)\b.{0,60}\b(off|nothing on)\b`,
      ].join('|'),
    ),
    // A gutter dripping at a joint is the roof's, outside: not a leak in the home.
    ignore: [
      phrase(WATER_IN_THE_PAST),
      phrase(String.raw`\b(gutters?|guttering|downpipes?)\b.{0,30}\b(drip\w*|leak\w*|overflow\w*)`),
      // A boiler's condensate pipe drips by design.
      phrase(String.raw`\b(condensate( pipe)?|(white )?plastic pipe (by|from|out of) the boiler)\b.{0,40}\bdrip\w*`),
    ],
  },
  {
    reason: 'no water supply',
    trade: 'plumbing',
    pattern: re(
      [
        String.raw`\bno (cold |running |mains |tap )?water\b|\b(taps?|water)\b.{0,40}\b(run dry|nothing (comes|coming|came) out)\b`,
        String.raw`\bnothing( at all)? (is |s )?(comes |coming |came )?(out )?(of |from )?(\w+ ){0,4}taps?\b|\btaps?( \w+){0,3} on\b.{0,20}\band (nothing|not a drop|just a splutter)|\bsplutter\w*|\bnot a drop\b`,
        String.raw`\b(pipes?|taps?|water)( \w+){0,4} (frozen|iced up|froze)\b`,
        String.raw`\b(toilet|cistern|loo)s? (wont|will not|doesnt|isnt|not) (re)?fill`,
      ].join('|'),
    ),
  },
  {
    reason: 'water will not turn off',
    trade: 'plumbing',
    pattern: re(
      String.raw`\b(taps?|valves?|cistern|toilet|loo|water|stopcock|stop tap|overflow|showers?|baths?|it)\b.{0,50}\b(wont|cant|doesnt|will not|cannot) (stop( running| flowing| pouring)?|turn off|shut off|switch off)\b|\b(pouring|running|pissing|gushing|streaming)( \w+)? (non ?stop|constantly|all (day|night)|continuously|for hours)\b`,
    ),
  },
  {
    reason: 'loss of power',
    trade: 'electrical',
    pattern: re(
      [
        String.raw`\bno (power|electric\w*|lecky|leccy|lights)\b`,
        String.raw`\bpower (cut|outage|out|failure)\b`,
        String.raw`\b(power|electric|electricity|electrics|lecky|leccy|lights|sockets)\b( \w+){0,3} (gone|went|going|cut|cutting|goes|keeps? going) (off|out)\b`,
        String.raw`\b(power|electricity|electrics|leck(y|ie)|leccy)s?( has| have| is| just| all)* (gone|went|died|dead|off|out|cut off|tripped)\b`,
        String.raw`\b(everything|the lot)( \w+){0,5} (goes|went|gone|cuts|cut) (off|out|dead)\b`,
        String.raw`\b(all|half|most|none|any|every) (of )?(the |my |our )?(sockets?|lights?|plugs?|electrics|power)\b.{0,30}\b(arent|not|isnt|stopped|wont|gone|dead|off|out)\b`,
        String.raw`\btripp(ed|ing)\b|\btrips (out|off)\b|\bthe trip (goes|went|keeps going|drops|flicks)\b|\bblown a fuse\b|\b(electrics|power|fuses?|breakers?|rcd|switch|circuit)( \w+)? trips?\b|\bwont reset\b|\bwont (stay|go) (back )?(up|on)\b|\blost (all )?(the )?(power|electric\w*|lights)\b|\b(switch|trip|breaker|rcd|lever|fuse)( \w+){0,4} (drops?|goes|flicks?) (straight )?(back )?down\b|\b(gone|went|going|goes) dark\b|\bcant get (them|it|the lights|the power|the electrics) (back|working)\b`,
        String.raw`\b(rcd|mcb|breaker|trip ?switch|fuses?)\b.{0,30}\b(keeps?|tripped|tripping|gone|went|blown|blowing|wont|flick\w*)\b`,
      ].join('|'),
    ),
  },
  {
    reason: 'blocked drain or toilet',
    trade: 'drainage',
    pattern: re(
      String.raw`\b${OUTLET}\b.{0,40}\b${BLOCKED}|\b${BLOCKED}\b.{0,30}\b${OUTLET}\b|\b(toilet|loo|bowl|pan)\b.{0,30}\b(rising|rises)\b|\b(rises|rising)( \w+){0,4} (of )?(the )?(pan|bowl|toilet|loo)\b|\b${BACKS_UP}|\bnone of (the )?(\w+ )?(toilets|loos|sinks|drains)( \w+)? (will |would )?(go down|drain|flush)|\b(manholes?|drain covers?)( \w+){0,6} (lifted|lifting)\b`,
    ),
  },
  {
    reason: 'roof storm damage',
    trade: 'roofing',
    pattern: re(
      String.raw`\bdaylight (in|through) (the )?(loft|roof)\b|\brain( \w+){0,2} (landing|getting|coming|dripping) (on|in|into|through)\b|\b(tiles?|slates?|ridge( tiles?)?|flashing|felt)\b.{0,30}\b(blown|ripped|torn|come|came|fallen|fell) (off|away|out)\b|\b(blown|ripped|torn) off\b.{0,20}\b(tiles?|slates?)\b`,
    ),
  },
  {
    reason: 'property not secure',
    trade: 'locksmith',
    pattern: re(
      String.raw`\b(doors?|locks?|windows?)\b.{0,30}\b(wont|wouldnt|cant|doesnt|will not|cannot) (lock|shut|close|secure)\b|\bcant (lock|secure) (the|my|our) (door|house|flat|home|property)\b`,
    ),
  },
  {
    reason: 'lock fault',
    trade: 'locksmith',
    // A door that will not open, or a key broken off in it, with the customer indoors.
    pattern: re(
      String.raw`\bkeys? (has |is |got )?(snapped|broke\w*)( off)? in\b|\b(cant|wont|cannot) (open|unlock) (the )?(\w+ )?door\b|\bkeys?( \w+){0,7} (wont|doesnt|cant|will not) (turn|go in|work)\b|\b(locks?|doors?)( \w+){0,2} (jammed|seized)\b`,
    ),
  },
  {
    reason: 'customer says it is urgent',
    pattern: re(String.raw`\b(urgent\w*|asap|as soon as (possible|poss|you can)|today|tonight|emergency|right away|straight away)\b`),
    // Products and fittings, and the emergency services who have been: not a plea.
    ignore: [
      phrase(String.raw`\bemergency (light\w*|exit|stop|gas (man|men|board|people|engineer)|line|services|number|credit|top ?up)\b`),
      phrase(String.raw`\bin (an|case of( an)?) emergenc(y|ies)\b|\b(delivered|arrived|bought|ordered|picked up|collected)( it| them)? today\b`),
      phrase(String.raw`\bemergency( \w+)? (engineer|plumber|electrician|locksmith|man|team|service|callout)( \w+)? (came|come|has been|had been|was|were|attended|visited|been out|came out|capped|made|sorted|fixed)\b`),
    ],
  },
];

// "Not urgent but ... it's raining now and dripping on the mat": the present outweighs the disclaimer.
// So does asking for today: "not an emergency but need it today".
const HAPPENING_RIGHT_NOW = re(
  String.raw`\b(right now|(raining|dripping|leaking|pouring|coming in|running|happening) now)\b|\b(in the )?next day or two\b|\btomorrow\b|\b(need(ed)? (it |this |someone |somebody )?|(can|could) (you|someone|somebody) (come|get here|pop round|pop over|come out|come round)( \w+)? )(today|tonight|asap)\b`,
);
const NOT_URGENT = re(String.raw`\b(not|no|nae|isnt|nothing|non)[- ]urgent\b|\bsometime\b(?! (today|tonight))|\bno (rush|hurry)\b|\bwhen(ever)? (you are|youre|your) (free|passing)\b|\bwhenever (suits|is convenient|works)\b|\bwhenever (you|ye)( have| ve)? got a (minute|mo)\b|\b(no|nae) bother\b|\b(none|nothing) of (it|this|them)( is| are)? urgent\b|\b(dont|do not) need (anybody|anyone|someone|somebody) today\b|\bin your own time\b|\bat some point\b|\bin no rush\b|\bno (biggie|drama)\b|\bnot fussed\b`);

function fires(rule: Rule, text: string, plain: string): boolean {
  if (rule.context && !rule.context.test(plain)) return false;
  const remaining = (rule.ignore ?? []).reduce((t, ignored) => t.replace(ignored, ' '), text);
  return rule.pattern.test(remaining);
}

function ruleTriage(plain: string, t: string): Triage {
  const emergencies = EMERGENCY_RULES.filter((rule) => fires(rule, t, plain));
  const [first] = emergencies;
  if (first) {
    const trade = first.tradeUnless?.test(t) ? undefined : first.trade;
    return { urgency: 'EMERGENCY', reason: first.reason, safetyAdvice: adviceFor(emergencies), trade };
  }
  for (const rule of URGENT_RULES) {
    if (!fires(rule, t, plain)) continue;
    // The customer is the judge of an inconvenience (never of a hazard: emergencies have returned above).
    if (customerSaysNotUrgent(plain, t)) return { urgency: 'ROUTINE', reason: 'customer says it is not urgent' };
    return { urgency: 'URGENT', reason: rule.reason, trade: rule.trade };
  }
  return { urgency: 'ROUTINE', reason: 'no urgency signals' };
}

/**
 * The advice of the first two hazards the texts describe: sewage coming through
 * a ceiling onto the light needs both the toilets left alone and the power off.
 */
function adviceFor(emergencies: Rule[]): string | undefined {
  const advice = [...new Set(emergencies.map((rule) => rule.advice).filter((a): a is string => a !== undefined))];
  return advice.length ? advice.slice(0, 2).join(' ') : undefined;
}

const customerSaysNotUrgent = (plain: string, t: string) => NOT_URGENT.test(plain) && !HAPPENING_RIGHT_NOW.test(t);

// ---------------------------------------------------------------------------
// The classifier's floor under the rules. Rules hold the phrasings they were
// written from; the classifier (./triage-classifier.ts), trained on every
// development case, catches the ones they were not ("he's pushed the door to
// and it's gone on the latch"). It only ever raises, and it reads the same
// present-tense text the rules do, so what the rules recognise as denied, over
// or asked about stays vetoed. The thresholds were chosen on leave-one-part-
// out figures (eval/cross-validate.ts), never on the cases it was trained on.
// ---------------------------------------------------------------------------

/**
 * The advice the rules already give for each hazard, for an emergency the
 * classifier raises, and a reason that says it was read from the wording as a
 * whole (the reason is stored with the job, for the tradesperson to read).
 */
const HAZARD_ADVICE: Record<SafetyHazard, { reason: string; advice: string; trade?: string }> = {
  gas: { reason: 'likely a gas smell', advice: GAS_ADVICE, trade: 'heating' },
  co: { reason: 'likely carbon monoxide', advice: CO_SIGNS_ADVICE, trade: 'heating' },
  electrics: { reason: 'likely dangerous electrics', advice: FIRE_ADVICE },
  water: { reason: 'likely escaping water', advice: WATER_ADVICE },
  sewage: { reason: 'likely sewage in the home', advice: SEWAGE_ADVICE },
  people: { reason: 'likely someone shut in or in danger', advice: PERSON_INSIDE_ADVICE },
  structure: { reason: 'likely something could fall', advice: STRUCTURE_ADVICE },
};

function raisedByClassifier(byRules: Triage, classified: ClassifiedTriage, thresholds: Thresholds, notUrgentSaid: boolean): Triage {
  const emergencyBar = { ROUTINE: thresholds.emergency, URGENT: thresholds.emergencyOverUrgent, EMERGENCY: Infinity }[byRules.urgency];
  if (classified.emergency >= emergencyBar) {
    const hazard = classified.hazard ? HAZARD_ADVICE[classified.hazard] : undefined;
    return {
      urgency: 'EMERGENCY',
      reason: `${hazard?.reason ?? 'likely an emergency'} (from the wording)`,
      safetyAdvice: hazard?.advice ?? UNNAMED_DANGER_ADVICE,
      trade: hazard?.trade,
      raisedFrom: byRules,
    };
  }
  if (byRules.urgency === 'ROUTINE' && !notUrgentSaid && classified.escalate >= thresholds.urgent) {
    return { urgency: 'URGENT', reason: 'likely urgent (from the wording)', raisedFrom: byRules };
  }
  return byRules;
}

/** The rules' triage, raised by the classifier where it is confident the rules saw too little. */
export function triage(text: string, floor: ClassifierFloor = CLASSIFIER_FLOOR): Triage {
  const plain = toPlainEnglish(text);
  const t = happeningNow(plain);
  const byRules = ruleTriage(plain, t);
  if ((t.match(/[a-z0-9]+/g) ?? []).length < floor.thresholds.minWords) return byRules;
  return raisedByClassifier(byRules, classifyTriage(t, floor.model), floor.thresholds, customerSaysNotUrgent(plain, t));
}

// ---------------------------------------------------------------------------
// Trade. The first cue that matches wins, and the order says which trade fixes
// the cause: gas, boilers and hot water that has stopped before anything else
// (a gas smell is a heating job whatever else is mentioned), roofs before the
// water and lights they let rain onto, drains before the sinks and toilets
// they serve, and a leak before the electrics it is dripping onto. Generic
// words (door, water, light) come last, inside the trade they most often mean.
// ---------------------------------------------------------------------------
const TRADE_CUES: Array<{ trade: string; pattern: RegExp }> = [
  { trade: 'plumbing', pattern: re(String.raw`^(?![^]*\b(immersion|boiler|combi|cylinder|tank)\b)[^]*\b(electric|power) showers?\b`) }, // an appliance plumbers fit, whatever it says about hot water
  // Hot water that has stopped is the heat source's fault; hot water escaping (below) is a plumber's.
  {
    trade: 'heating',
    pattern: re(
      String.raw`\bno hot water\b|\bhot water( \w+){0,2} (off|cold|stone cold|not)\b|\b(gas|gassy|${CO_TERM}|boilers?|combi|radiators?|rads|central heating|heating|thermostats?|hive|power ?flush\w*|(gas|old|open|electric|coal|wood|living room|front room) fires?|immersion|flue|underfloor|heat pumps?|unvented|vaillant|worcester|baxi|glow-?worm|viessmann|potterton|vokera|ideal logic)\b|^(?![^]*\b(drains?|sewers?|toilets?|manholes?)\b)[^]*\b(eggy|rotten eggs?)\b`,
    ),
  },
  // A soakaway or septic tank is the drainage firm's, even for the roof's downpipes.
  { trade: 'drainage', pattern: re(String.raw`\b(soakaways?|septic( tanks?)?|cesspits?)\b`) },
  {
    trade: 'roofing',
    pattern: re(
      String.raw`\b(roofs?|roofing|re-?roof\w*|roofer|chimneys?|gutters?|guttering|fascias?|soffits?|slates?|flashing|ridge|(the|roof|roofing) felt|downpipes?|tiles?( \w+){0,2} (blown|off|slipped|missing|fallen|loose|come down|came down|sliding|lifting)|(slipped|missing|loose|broken|cracked) (roof )?(tiles?|slates?)|velux|skylights?|roof windows?)\b|\brain(water)?( \w+){0,2} (is |s )?(coming|getting|pouring|leaking|dripping|running) (in|through|down)\b|\bstorm damage\b|\b(been|its) (pouring|chucking it down|bucketing)( down)? all (day|night|week)\b`,
    ),
  },
  {
    trade: 'drainage',
    pattern: re(
      String.raw`\b(drains?|drainage|sewage|sewer\w*|manholes?|gull(y|ies)|soakaway|septic|cesspit|blocked|blockage|bunged|clogged|poo|plugholes?)\b|\b${BACKS_UP}|\b(wont|not|isnt|arent) (go(ing)? down|drain\w*|empty)\b|\bgrids?\b|\bgrease traps?\b|\b(goes|going|go) (down )?(really |very )?slow|\b(toilet|loo|bowl)\b.{0,30}\brising\b|\b(rises|rising)( \w+){0,4} (of )?(the )?(pan|bowl)\b|\b(drain(ing|s)?|goes|going) (really |very )?slow\w*|\bgurgl\w*|\b(wont shift|just sits( there)?|takes ages to (go )?(back )?down|fills up (whenever|when|every time))\b|\bstuck down the\b|\bnone of (the )?(\w+ )?(toilets|loos|sinks)\b|\b(toilets?|loos?)( \w+){0,2} (overflow\w*|full to the (top|brim|rim))`,
    ),
  },
  // Water that is escaping: a plumber stops it, whatever it is dripping onto.
  {
    trade: 'plumbing',
    pattern: re(
      String.raw`\b(leak\w*|drip\w*|burst|flood(s|ing|ed)?(?! ?lights?)|pour\w*|gush\w*|spray\w*|soak\w*)\b|\b(with|of) water\b|\bwater( \w+){0,2} (running|coming|pouring|dripping|leaking|getting|trickling|bubbling)\b`,
    ),
  },
  {
    trade: 'electrical',
    pattern: re(
      String.raw`\b(electr\w*|sparky|sockets?|(?<!(bath|sink|basin) )plugs?|smoke alarms?|fuse\w*|consumer units?|wiring|wired|rewir\w*|wires?|lights?|lighting|spotlights?|downlights?|flood ?lights?|switch(es)?|trip ?switch|rcd|mcb|eicrs?|ev|pat test\w*|hot tubs?|chargers?|powers?|leck(y|ie)s?|leccys?|extension( leads?)?|adaptors?|extractor( fans?)?|heaters?|shocks?|circuits?|tripp\w*|cables?|(burglar|intruder|security) alarms?)\b`,
    ),
  },
  { trade: 'locksmith', pattern: re(String.raw`\b(locks?|padlocks?|lockouts?|safes?|bolts?|locksmith|keys?|locked|deadlocks?|${BURGLARY}|(?<!next )doors?|slammed)\b`) },
  {
    trade: 'plumbing',
    pattern: re(
      String.raw`\b(plumb\w*|pipes?|taps?|toilets?|loos?|wc|sinks?|basins?|baths?|showers?|bathrooms?|cistern|stopcock|stop tap|valves?|water|dishwasher|washing machine|mixer|flush|ceilings?)\b`,
    ),
  },
];
// Product names that would otherwise read as another trade's cue.
const TRADE_IGNORE = [phrase(String.raw`\bwater (features?|pumps?)\b`), phrase(WATER_IN_THE_PAST)];

/** The trade of what is happening now, else of whatever the text mentions ("no leaks, just want new guttering"). */
function tradeOf(text: string): string | null {
  const plain = toPlainEnglish(text);
  for (const t of [happeningNow(plain), plain]) {
    const cleaned = TRADE_IGNORE.reduce((acc, ignored) => acc.replace(ignored, ' '), t);
    const cue = TRADE_CUES.find((c) => c.pattern.test(cleaned));
    if (cue) return cue.trade;
  }
  return null;
}

export function findPostcode(text: string): string | null {
  const m = UK_POSTCODE.exec(text);
  return m ? `${m[1]!.toUpperCase()} ${m[2]!.toUpperCase()}` : null;
}

// Case-sensitive on purpose: the capital letter is what tells "I'm Dave" from "I'm having trouble".
const NAME_PATTERN = /\b(?:[Mm]y name is|[Mm]y name's|I am|I'm|[Tt]his is|[Ii]t's|[Nn]ame:)\s+([A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+)?)/;
const TIME_PATTERN = /\b(today|tonight|tomorrow|this (morning|afternoon|evening|week)|next week|asap|any ?time|monday|tuesday|wednesday|thursday|friday|saturday|sunday|morning|afternoon|evening|\d{1,2}(:\d{2})?\s?(am|pm))\b/i;

const QUESTIONS = {
  description: 'What is the problem you need help with?',
  postcode: "What's the postcode of the property?",
  customerName: 'And what name should we use for you?',
  preferredTime: 'When would suit you for someone to come out?',
} as const;
type Slot = keyof typeof QUESTIONS;
const SLOT_ORDER: Slot[] = ['description', 'postcode', 'customerName', 'preferredTime'];

function askedFor(outbound: string | undefined): Slot | null {
  if (!outbound) return null;
  for (const slot of SLOT_ORDER) if (outbound.includes(QUESTIONS[slot])) return slot;
  return null;
}

/** Fills the job's slots from the whole transcript, answers to our own questions first. */
export function extractJob(transcript: TranscriptLine[]): JobDetails {
  const job: JobDetails = { ...EMPTY_JOB };
  let lastAsked: Slot | null = null;
  for (const line of transcript) {
    if (line.direction === 'OUTBOUND') {
      lastAsked = askedFor(line.body);
      continue;
    }
    const text = line.body.trim();
    if (!text) continue;
    const postcode = findPostcode(text);
    if (postcode && !job.postcode) job.postcode = postcode;
    const name = NAME_PATTERN.exec(text)?.[1];
    if (name && !job.customerName) job.customerName = name;
    const time = TIME_PATTERN.exec(text)?.[0];
    if (lastAsked === 'customerName' && !job.customerName && !postcode && text.split(/\s+/).length <= 4) {
      job.customerName = text.replace(/[.!]+$/, '');
    } else if (lastAsked === 'preferredTime' && !job.preferredTime) {
      job.preferredTime = text;
    } else if (time && !job.preferredTime && lastAsked !== 'description' && job.description) {
      job.preferredTime = time;
    }
    const isOnlyPostcode = postcode !== null && text.replace(UK_POSTCODE, '').replace(/[^a-z]/gi, '').length < 3;
    const answersOtherSlot = lastAsked === 'customerName' || lastAsked === 'preferredTime';
    if (!job.description && !isOnlyPostcode && !answersOtherSlot && text.split(/\s+/).length >= 2) {
      job.description = text.slice(0, 300);
    }
    lastAsked = null;
  }
  job.tradeCategory = tradeOf(transcript.filter((l) => l.direction === 'INBOUND').map((l) => l.body).join('\n'));
  return job;
}

function inServiceArea(postcode: string | null, area: string[]): boolean {
  if (!postcode || area.length === 0) return true;
  const district = postcode.split(' ')[0]!;
  return area.some((a) => {
    const wanted = a.trim().toUpperCase();
    if (district === wanted) return true;
    // SW1 covers SW1A..SW1Y (London's sub-districts); a bare area such as SE covers every SE district.
    if (/\d$/.test(wanted)) return district.startsWith(wanted) && /^[A-Z]$/.test(district.slice(wanted.length));
    return /^[A-Z]+$/.test(wanted) && district.replace(/\d.*$/, '') === wanted;
  });
}

function clip(text: string): string {
  return text.length <= 320 ? text : `${text.slice(0, 317)}...`;
}

/** `floor` is the classifier under the rules: the committed one, or a cross-validation fold's. */
export function rulesTurn(transcript: TranscriptLine[], business: BusinessContext, floor: ClassifierFloor = CLASSIFIER_FLOOR): TurnResult {
  const inbound = transcript.filter((l) => l.direction === 'INBOUND').map((l) => l.body).join('\n');
  const firstReply = !transcript.some((l) => l.direction === 'OUTBOUND');
  const t = triage(inbound, floor);
  const job = { ...extractJob(transcript), ...(t.trade ? { tradeCategory: t.trade } : {}) };
  const intro = firstReply ? `Hi, this is ${business.businessName}'s automated assistant. ` : '';

  if (!inServiceArea(job.postcode, business.serviceArea)) {
    return {
      reply: clip(`${intro}Sorry, ${job.postcode} is outside the area ${business.businessName} covers, so we can't take this job on.`),
      urgency: t.urgency,
      urgencyReason: t.reason,
      job,
      complete: true,
    };
  }

  const missing = SLOT_ORDER.filter((s) => !job[s]);
  // In an emergency only the essentials are asked for before the tradesperson is told.
  const needed = t.urgency === 'EMERGENCY' ? missing.filter((s) => s === 'postcode') : missing;
  const complete = needed.length === 0;
  let body: string;
  if (t.safetyAdvice) {
    body = `${t.safetyAdvice} We've alerted ${business.businessName}.${needed[0] ? ` ${QUESTIONS[needed[0]]}` : ''}`;
  } else if (complete) {
    const who = job.customerName ? `Thanks ${job.customerName}` : 'Thanks';
    body = `${who}, I've passed your job to ${business.businessName} and they'll be in touch shortly.`;
  } else if (t.urgency !== 'ROUTINE' && needed[0] !== 'description') {
    body = `Sorry to hear that. We'll treat this as urgent. ${QUESTIONS[needed[0]!]}`;
  } else {
    body = needed[0] === 'description' ? `${QUESTIONS.description}` : `Thanks. ${QUESTIONS[needed[0]!]}`;
  }
  return { reply: clip(intro + body), urgency: t.urgency, urgencyReason: t.reason, job, complete };
}
