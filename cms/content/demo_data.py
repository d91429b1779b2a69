"""Original demo content for the health and wellbeing CMS.

Plain Python data only: authors, categories and articles used to seed a
demo site. All people, quotes and attributions are invented, and the
text is general wellbeing information rather than medical advice.
"""

AUTHORS: list[dict] = [
    {
        "slug": "imogen-rowley",
        "name": "Imogen Rowley",
        "bio": (
            "Imogen is a registered dietitian who spent a decade in NHS community "
            "clinics before turning to writing. She is most interested in practical, "
            "affordable changes that fit around busy family life."
        ),
    },
    {
        "slug": "callum-whitfield",
        "name": "Dr Callum Whitfield",
        "bio": (
            "Callum is a sleep researcher who studies how work patterns and daylight "
            "shape the body clock. When he is not in the lab, he is usually trying, "
            "with mixed success, to follow his own advice about bedtimes."
        ),
    },
    {
        "slug": "anjali-mehra",
        "name": "Dr Anjali Mehra",
        "bio": (
            "Anjali is a general practitioner and health journalist who writes about "
            "everyday medicine in plain language. She believes good health information "
            "should be calm, clear and honest about what we do not yet know."
        ),
    },
]

CATEGORIES: list[dict] = [
    {
        "slug": "news-and-blogs",
        "name": "News and Blogs",
        "description": (
            "Updates, opinion pieces and blog posts from our writers on the health "
            "stories people are talking about."
        ),
    },
    {
        "slug": "nutrition",
        "name": "Nutrition",
        "description": (
            "Evidence-informed guidance on food, drink, vitamins and minerals, written "
            "for real kitchens and real budgets."
        ),
    },
    {
        "slug": "sleep",
        "name": "Sleep",
        "description": (
            "How sleep works, why it matters and practical ways to get more of the "
            "restful kind."
        ),
    },
    {
        "slug": "fitness",
        "name": "Fitness",
        "description": (
            "Movement for every body, from gentle walking to strength training, with "
            "an emphasis on starting safely."
        ),
    },
    {
        "slug": "mental-health",
        "name": "Mental Health",
        "description": (
            "Straightforward information on stress, mood and wellbeing, plus simple "
            "techniques worth trying."
        ),
    },
    {
        "slug": "heart-health",
        "name": "Heart Health",
        "description": (
            "Understanding blood pressure, cholesterol and the everyday habits that "
            "help keep the heart in good shape."
        ),
    },
]

ARTICLES: list[dict] = [
    {
        "slug": "magnesium-and-restless-legs",
        "title": "Magnesium and Restless Legs: What the Evidence Says",
        "intro": (
            "Magnesium is often suggested as a fix for restless legs at night. Here is "
            "what the research can and cannot tell us, and what to try first."
        ),
        "author": "imogen-rowley",
        "categories": ["news-and-blogs", "nutrition", "sleep"],
        "tags": ["magnesium", "sleep", "supplements", "minerals"],
        "days_ago": 3,
        "sections": [
            {
                "heading": "What restless legs feel like",
                "paragraphs": [
                    (
                        "Restless legs syndrome is an uncomfortable urge to move the "
                        "legs, usually in the evening or when lying still. People "
                        "describe it as crawling, tingling or aching, and moving about "
                        "brings brief relief. Because it tends to strike at bedtime, "
                        "it can chip away at sleep night after night."
                    ),
                    (
                        "The condition is common and ranges from a mild nuisance to "
                        "something that seriously disrupts daily life. It can run in "
                        "families, and it sometimes appears during pregnancy or "
                        "alongside other health conditions."
                    ),
                ],
            },
            {
                "heading": "Where magnesium comes in",
                "paragraphs": [
                    (
                        "Magnesium helps nerves and muscles work normally, so it is "
                        "easy to see why people link it to twitchy legs. Online forums "
                        "are full of stories from people who say a supplement helped "
                        "them. Personal stories are worth listening to, but they are "
                        "not the same as careful trials."
                    ),
                    (
                        "The small studies that exist have produced mixed results. "
                        "Some suggest a modest benefit for certain people, while "
                        "others find little difference compared with a dummy pill. At "
                        "the moment there is not enough good evidence to call "
                        "magnesium a reliable treatment."
                    ),
                ],
            },
            {
                "heading": "Other things worth checking",
                "paragraphs": [
                    (
                        "Low iron stores are a well-recognised trigger for restless "
                        "legs, and a simple blood test can check for this. Some "
                        "medicines, caffeine and alcohol can also make symptoms worse. "
                        "Your GP can look at the whole picture rather than one mineral "
                        "in isolation."
                    ),
                    (
                        "Gentle habits may help too. Regular daytime activity, a "
                        "consistent bedtime and a warm bath or leg massage in the "
                        "evening are low-risk ideas many people find useful."
                    ),
                ],
            },
        ],
        "quote": {
            "text": (
                "Before reaching for a supplement, it is worth ruling out the simple "
                "things, like iron levels and evening coffee."
            ),
            "attribution": "A community dietitian",
        },
        "list": [
            "Keep a two-week symptom diary",
            "Note caffeine and alcohol in the evening",
            "Ask your GP about an iron test",
            "Try a short evening stretch or walk",
        ],
        "conclusion": (
            "Magnesium is unlikely to do harm for most healthy adults at sensible "
            "doses, but it is not a proven cure for restless legs. If symptoms are "
            "affecting your sleep, talk to your doctor, who can check for treatable "
            "causes and discuss options that are backed by stronger evidence."
        ),
        "related": [
            "magnesium-supplements-explained",
            "magnesium-rich-foods",
            "wind-down-routine",
        ],
    },
    {
        "slug": "magnesium-rich-foods",
        "title": "Ten Everyday Magnesium-Rich Foods Worth Knowing",
        "intro": (
            "You do not need expensive powders to get enough magnesium. Plenty of "
            "ordinary, affordable foods already in your cupboard can do the job."
        ),
        "author": "imogen-rowley",
        "categories": ["nutrition"],
        "tags": ["magnesium", "minerals", "healthy-eating", "diet"],
        "days_ago": 9,
        "sections": [
            {
                "heading": "Why food comes first",
                "paragraphs": [
                    (
                        "Magnesium is involved in hundreds of processes in the body, "
                        "from turning food into energy to keeping the heartbeat "
                        "steady. Most people can meet their needs through a varied "
                        "diet. Food also brings fibre, protein and other nutrients "
                        "that a tablet cannot offer."
                    ),
                    (
                        "Eating a range of plant foods is the simplest way to keep "
                        "your intake topped up. Wholegrains, pulses, nuts and leafy "
                        "greens are all good sources, and they tend to support gut and "
                        "heart health at the same time."
                    ),
                ],
            },
            {
                "heading": "Ten foods to keep in mind",
                "paragraphs": [
                    (
                        "Pumpkin seeds, almonds and cashews are among the richest "
                        "everyday sources, and a small handful makes an easy snack. "
                        "Spinach and other dark leafy greens add useful amounts, "
                        "especially when cooked down into soups or curries."
                    ),
                    (
                        "Beans, lentils and chickpeas are inexpensive and versatile. "
                        "Wholegrain bread, brown rice and oats supply magnesium that "
                        "is largely lost when grains are refined. Dark chocolate, "
                        "bananas and a portion of oily fish round out the list."
                    ),
                ],
            },
            {
                "heading": "Easy ways to add more",
                "paragraphs": [
                    (
                        "Swapping white bread for wholemeal, or stirring a tin of "
                        "beans into a stew, are small changes that add up over a week. "
                        "Sprinkling seeds on porridge or salads takes seconds."
                    ),
                    (
                        "Try not to chase a single superfood. A mix of these foods "
                        "across the week is more useful than large amounts of any one "
                        "of them."
                    ),
                    (
                        "Cooking methods matter a little too. Boiling vegetables in "
                        "lots of water can draw out some minerals, so steaming them or "
                        "using the cooking water in soups and sauces helps keep more "
                        "of the goodness."
                    ),
                ],
            },
        ],
        "list": [
            "Sprinkle seeds on breakfast",
            "Choose wholegrain versions of bread and rice",
            "Add a tin of pulses to soups and stews",
            "Keep a small bag of unsalted nuts handy",
            "Cook leafy greens into main meals",
        ],
        "conclusion": (
            "For most people, a varied diet built around wholegrains, pulses, nuts, "
            "seeds and vegetables provides plenty of magnesium. If you follow a "
            "restricted diet or have a health condition that affects absorption, a "
            "dietitian or your GP can help you check whether you are getting enough."
        ),
        "related": [
            "magnesium-supplements-explained",
            "magnesium-and-restless-legs",
            "gut-health-fibre",
        ],
    },
    {
        "slug": "magnesium-supplements-explained",
        "title": "Magnesium Supplements Explained: Citrate, Glycinate and Oxide",
        "intro": (
            "Pharmacy shelves offer a confusing range of magnesium products. This "
            "guide explains the main forms, who might need one and when to be "
            "cautious."
        ),
        "author": "imogen-rowley",
        "categories": ["nutrition"],
        "tags": ["magnesium", "supplements", "minerals"],
        "days_ago": 14,
        "sections": [
            {
                "heading": "Who might need a supplement",
                "paragraphs": [
                    (
                        "Most healthy adults who eat a varied diet do not need extra "
                        "magnesium. However, a true deficiency can occur in people "
                        "with certain gut conditions, long-term heavy alcohol use, or "
                        "those taking some medicines, such as certain diuretics or "
                        "acid-reducing tablets. Older adults may also absorb less."
                    ),
                    (
                        "Symptoms of being deficient can be vague, including "
                        "tiredness, muscle cramps and weakness. Because these overlap "
                        "with many other problems, it is best to have them checked "
                        "rather than guess."
                    ),
                ],
            },
            {
                "heading": "The different forms",
                "paragraphs": [
                    (
                        "Supplements pair magnesium with another substance, and this "
                        "affects how well it is absorbed and how it feels on the "
                        "stomach. Magnesium citrate is absorbed reasonably well and "
                        "can have a mild laxative effect. Magnesium glycinate is often "
                        "described as gentler on digestion."
                    ),
                    (
                        "Magnesium oxide contains a lot of magnesium by weight but "
                        "tends to be less well absorbed, and it is more likely to "
                        "loosen the bowels. Labels can be confusing, so check how much "
                        "elemental magnesium each tablet actually provides."
                    ),
                ],
            },
            {
                "heading": "Staying safe",
                "paragraphs": [
                    (
                        "Taking more than the recommended amount from supplements can "
                        "cause diarrhoea, nausea and stomach cramps. People with "
                        "kidney problems should avoid magnesium supplements unless a "
                        "doctor advises them, because the kidneys are responsible for "
                        "clearing excess."
                    ),
                    (
                        "Magnesium can also interfere with the absorption of some "
                        "antibiotics and osteoporosis medicines. Spacing doses apart "
                        "is often recommended, but a pharmacist can give advice "
                        "specific to your medicines."
                    ),
                ],
            },
            {
                "heading": "Questions to ask first",
                "paragraphs": [
                    (
                        "Before buying anything, it is worth asking what problem you "
                        "are hoping to solve. If the answer is poor sleep, cramps or "
                        "low energy, there may be other causes that deserve attention "
                        "first."
                    ),
                    (
                        "A pharmacist can check whether a product is likely to "
                        "interact with your medicines and suggest a sensible starting "
                        "dose. Keep the packaging so you can show your GP exactly what "
                        "you are taking."
                    ),
                ],
            },
        ],
        "quote": {
            "text": (
                "The best supplement is the one you actually need, at a dose that "
                "suits you, checked against the medicines you already take."
            ),
            "attribution": "A hospital pharmacist",
        },
        "conclusion": (
            "Magnesium supplements can be useful for people with a confirmed need, but "
            "they are not a general health booster. If you are thinking about starting "
            "one, speak to your pharmacist or GP first, particularly if you have "
            "kidney disease or take regular medication."
        ),
        "related": ["magnesium-rich-foods", "magnesium-and-restless-legs"],
    },
    {
        "slug": "vitamin-d-in-winter",
        "title": "Vitamin D in Winter: Who Should Consider a Supplement",
        "intro": (
            "Between autumn and spring, many of us get very little vitamin D from "
            "sunlight. Here is a plain guide to who might benefit from a daily "
            "supplement."
        ),
        "author": "anjali-mehra",
        "categories": ["news-and-blogs", "nutrition"],
        "tags": ["vitamin-d", "supplements", "sunlight", "winter"],
        "days_ago": 21,
        "sections": [
            {
                "heading": "Why winter makes a difference",
                "paragraphs": [
                    (
                        "Our skin makes vitamin D when it is exposed to sunlight, but "
                        "in northern countries the sun is too low for much of the year "
                        "to make meaningful amounts. From roughly October to March, "
                        "most of us rely on food and stored reserves instead."
                    ),
                    (
                        "Vitamin D helps the body absorb calcium and phosphate, which "
                        "keep bones, teeth and muscles healthy. Very few foods contain "
                        "much of it naturally, so diet alone rarely fills the gap."
                    ),
                    (
                        "Stores built up over a sunny summer help to carry us through "
                        "part of the winter, but they gradually run down as the months "
                        "go by."
                    ),
                ],
            },
            {
                "heading": "Who is more likely to be low",
                "paragraphs": [
                    (
                        "People who spend little time outdoors, such as those who are "
                        "housebound or living in care homes, are at higher risk. So "
                        "are people who cover most of their skin when outside. Those "
                        "with darker skin may also need more sunlight to make the same "
                        "amount."
                    ),
                    (
                        "Babies, young children, pregnant women and older adults are "
                        "often singled out in official guidance. If you fall into one "
                        "of these groups, it is worth checking the current advice in "
                        "your country."
                    ),
                ],
            },
            {
                "heading": "Food sources and sensible doses",
                "paragraphs": [
                    (
                        "Oily fish, egg yolks, red meat and fortified foods such as "
                        "some breakfast cereals and spreads provide small amounts. A "
                        "daily low-dose supplement during the darker months is a "
                        "simple and inexpensive option for many adults."
                    ),
                    (
                        "More is not better. Taking very high doses for long periods "
                        "can cause calcium to build up in the blood, which can be "
                        "harmful. Stick to the dose on the label unless a health "
                        "professional has advised otherwise."
                    ),
                ],
            },
        ],
        "list": [
            "Check current national guidance for your age group",
            "Choose a standard daily dose, not a mega-dose",
            "Include oily fish or fortified foods where you can",
            "Tell your doctor about any supplements you take",
        ],
        "conclusion": (
            "A modest daily vitamin D supplement through the winter is a reasonable "
            "choice for many adults, and particularly for those at higher risk of "
            "being low. If you have a medical condition, take regular medication or "
            "are unsure what dose is right, ask your GP or pharmacist."
        ),
        "related": ["iron-and-tiredness", "omega-3-and-heart"],
    },
    {
        "slug": "hydration-how-much-water",
        "title": "How Much Water Do You Really Need?",
        "intro": (
            "The advice to drink eight glasses a day is everywhere, but your real "
            "needs depend on your body, your activity and the weather."
        ),
        "author": "anjali-mehra",
        "categories": ["nutrition"],
        "tags": ["hydration", "water", "healthy-eating"],
        "days_ago": 5,
        "sections": [
            {
                "heading": "Where the eight glasses idea came from",
                "paragraphs": [
                    (
                        "The eight-glasses rule is easy to remember, which may explain "
                        "why it has stuck around for so long. In reality, there is no "
                        "single number that suits everyone. A small, inactive adult on "
                        "a cool day needs far less fluid than a tall builder working "
                        "outside in summer."
                    ),
                    (
                        "It also helps to remember that food provides a good share of "
                        "our daily water. Fruit, vegetables, soups and yoghurt all "
                        "contribute, as do tea and coffee."
                    ),
                ],
            },
            {
                "heading": "Listening to your body",
                "paragraphs": [
                    (
                        "For most healthy people, thirst is a reliable guide. Drinking "
                        "when you feel thirsty and having a drink with meals is "
                        "usually enough. Pale straw-coloured urine is a handy sign "
                        "that you are well hydrated."
                    ),
                    (
                        "Some groups need to be more careful. Older adults may feel "
                        "thirst less strongly, and people with certain heart or kidney "
                        "conditions may be given specific fluid limits by their "
                        "doctor."
                    ),
                ],
            },
            {
                "heading": "When to drink more",
                "paragraphs": [
                    (
                        "Hot weather, exercise, fever, vomiting and diarrhoea all "
                        "increase the amount of fluid you lose. In these situations it "
                        "makes sense to drink a little more often, before you feel "
                        "parched."
                    ),
                    (
                        "Drinking very large amounts of plain water in a short time is "
                        "rarely a problem, but it can be dangerous in extreme cases, "
                        "such as during long endurance events. Steady sipping is "
                        "better than forcing down litres at once."
                    ),
                ],
            },
            {
                "heading": "Tea, coffee and other drinks",
                "paragraphs": [
                    (
                        "It is a common belief that tea and coffee dehydrate you, but "
                        "for regular drinkers the fluid they provide largely outweighs "
                        "their mild effect on urine output. They can count towards "
                        "your daily intake."
                    ),
                    (
                        "Sugary soft drinks and juices also provide fluid, but they "
                        "add sugar that is best kept to a minimum. Water, milk and "
                        "unsweetened drinks are the most sensible everyday choices."
                    ),
                ],
            },
        ],
        "quote": {
            "text": (
                "If your urine is pale and you rarely feel thirsty, you are probably "
                "doing fine."
            ),
            "attribution": "A practice nurse",
        },
        "conclusion": (
            "There is no magic number for water intake. Let thirst guide you, pay "
            "attention to the colour of your urine, and drink more when it is hot or "
            "you are active. If you have a heart or kidney condition, follow the fluid "
            "advice your care team has given you."
        ),
        "related": ["heat-and-hydration", "caffeine-curfew"],
    },
    {
        "slug": "wind-down-routine",
        "title": "Building a Wind-Down Routine That Actually Works",
        "intro": (
            "A calm hour before bed can make falling asleep easier. Here is how to "
            "build a routine that suits your life rather than an idealised one."
        ),
        "author": "callum-whitfield",
        "categories": ["sleep"],
        "tags": ["sleep", "routine", "stress", "bedtime"],
        "days_ago": 2,
        "sections": [
            {
                "heading": "Why a routine helps",
                "paragraphs": [
                    (
                        "The body clock likes predictability. When you do similar "
                        "things in a similar order each evening, your brain starts to "
                        "treat those cues as a signal that sleep is coming. Over time, "
                        "the routine itself can help you feel drowsy."
                    ),
                    (
                        "A wind-down period also creates a buffer between the busy day "
                        "and bedtime. Jumping straight from emails or a tense "
                        "conversation into bed leaves the mind racing."
                    ),
                    (
                        "Routines are not just for children, even though parents often "
                        "see how well they work for little ones. Adults respond to the "
                        "same gentle signals."
                    ),
                ],
            },
            {
                "heading": "Designing your own",
                "paragraphs": [
                    (
                        "Start by choosing a regular time to begin winding down, "
                        "roughly an hour before you hope to be asleep. Dim the lights, "
                        "put away work and choose two or three calming activities you "
                        "genuinely enjoy."
                    ),
                    (
                        "Reading a paper book, taking a warm shower, gentle stretching "
                        "or listening to quiet music are popular choices. The specific "
                        "activity matters less than doing it consistently and finding "
                        "it relaxing rather than stimulating."
                    ),
                    (
                        "Some people like to jot down a short list of tomorrow's "
                        "tasks, so that unfinished business does not follow them into "
                        "bed. Others prefer a few minutes of slow breathing or a "
                        "simple body scan."
                    ),
                ],
            },
            {
                "heading": "Common stumbling blocks",
                "paragraphs": [
                    (
                        "Many people find it hard to put their phone down. Charging it "
                        "outside the bedroom, or at least across the room, removes the "
                        "temptation to scroll."
                    ),
                    (
                        "Perfectionism can also get in the way. If you miss your "
                        "routine one evening, simply pick it up again the next. A "
                        "routine that works four or five nights a week is still worth "
                        "having."
                    ),
                ],
            },
        ],
        "list": [
            "Set a wind-down alarm an hour before bed",
            "Dim the lights in the main rooms",
            "Charge your phone away from the bed",
            "Pick two relaxing activities and stick with them",
            "Keep the same wake-up time at weekends",
        ],
        "conclusion": (
            "A wind-down routine is a simple, low-risk habit that helps many people "
            "sleep more easily. If you have tried for several weeks and still struggle "
            "to fall or stay asleep, talk to your doctor, as persistent insomnia is "
            "treatable and sometimes linked to other health issues."
        ),
        "related": [
            "screens-before-bed",
            "caffeine-curfew",
            "slow-breathing-for-stress",
        ],
    },
    {
        "slug": "caffeine-curfew",
        "title": "The Caffeine Curfew: Timing Your Last Coffee",
        "intro": (
            "Caffeine lingers in the body for longer than most people think. Moving "
            "your last cup earlier in the day may be one of the easiest sleep upgrades "
            "available."
        ),
        "author": "callum-whitfield",
        "categories": ["news-and-blogs", "sleep"],
        "tags": ["caffeine", "sleep", "coffee", "bedtime"],
        "days_ago": 11,
        "sections": [
            {
                "heading": "How caffeine works",
                "paragraphs": [
                    (
                        "Caffeine blocks a chemical called adenosine, which builds up "
                        "during the day and helps create the feeling of sleepiness. By "
                        "blocking that signal, a cup of coffee makes us feel more "
                        "alert for a while."
                    ),
                    (
                        "The catch is that caffeine takes hours to clear. For many "
                        "adults, around half of it is still circulating five or six "
                        "hours after a drink, and sensitivity varies widely from "
                        "person to person."
                    ),
                ],
            },
            {
                "heading": "The afternoon cup problem",
                "paragraphs": [
                    (
                        "An afternoon coffee may not stop you falling asleep, yet it "
                        "can still make sleep lighter and more broken. People often do "
                        "not connect a restless night with a drink they had many hours "
                        "earlier."
                    ),
                    (
                        "Caffeine also hides in tea, cola, energy drinks, some "
                        "painkillers and dark chocolate. Adding these up gives a truer "
                        "picture of your daily intake."
                    ),
                ],
            },
            {
                "heading": "Finding your cut-off",
                "paragraphs": [
                    (
                        "A common suggestion is to stop caffeine around eight hours "
                        "before bed, so around early afternoon for many people. Try "
                        "this for two weeks and notice whether your sleep feels any "
                        "deeper."
                    ),
                    (
                        "If you rely on an afternoon drink for comfort or routine, "
                        "switching to decaffeinated coffee or herbal tea can keep the "
                        "ritual while removing most of the caffeine."
                    ),
                ],
            },
            {
                "heading": "Cutting back gently",
                "paragraphs": [
                    (
                        "If you drink a lot of caffeine, stopping suddenly can bring "
                        "headaches, irritability and tiredness for a few days. "
                        "Reducing gradually over a week or two tends to be more "
                        "comfortable."
                    ),
                    (
                        "Try replacing one cup at a time with a decaffeinated version, "
                        "or making your drinks slightly weaker. Keeping a note of how "
                        "you sleep during this period can show whether the change is "
                        "worthwhile."
                    ),
                ],
            },
        ],
        "quote": {
            "text": (
                "People are often surprised that a three o'clock latte can still be "
                "affecting them at midnight."
            ),
            "attribution": "A sleep clinic nurse",
        },
        "conclusion": (
            "Caffeine is not the enemy, and most people can enjoy it in moderation. "
            "Setting a personal curfew is a simple experiment that costs nothing. If "
            "you are pregnant, have a heart rhythm problem or find caffeine makes you "
            "anxious, ask your doctor how much is sensible for you."
        ),
        "related": ["wind-down-routine", "naps-good-or-bad"],
    },
    {
        "slug": "naps-good-or-bad",
        "title": "Are Naps Good for You? A Guide to Daytime Sleep",
        "intro": (
            "A short nap can restore alertness, but the wrong kind of nap can leave "
            "you groggy and awake at midnight. Timing and length make all the "
            "difference."
        ),
        "author": "callum-whitfield",
        "categories": ["sleep"],
        "tags": ["naps", "sleep", "energy"],
        "days_ago": 17,
        "sections": [
            {
                "heading": "The benefits of a short nap",
                "paragraphs": [
                    (
                        "A brief nap of around 10 to 20 minutes can improve alertness, "
                        "mood and reaction times. It is long enough to feel refreshing "
                        "but short enough that you are unlikely to fall into deep "
                        "sleep."
                    ),
                    (
                        "Many cultures build a rest into the early afternoon, when "
                        "most people experience a natural dip in energy. Feeling "
                        "sleepy after lunch is normal and not always a sign that "
                        "something is wrong."
                    ),
                ],
            },
            {
                "heading": "When naps backfire",
                "paragraphs": [
                    (
                        "Naps of an hour or more can leave you feeling heavy and "
                        "confused when you wake, a state sometimes called sleep "
                        "inertia. Long naps late in the day can also reduce the drive "
                        "to sleep at night, making bedtime harder."
                    ),
                    (
                        "For people with insomnia, avoiding daytime naps altogether is "
                        "often recommended, so that sleep pressure builds up for the "
                        "night ahead."
                    ),
                ],
            },
            {
                "heading": "Napping well",
                "paragraphs": [
                    (
                        "If you choose to nap, aim for early afternoon and set an "
                        "alarm. Lying down in a quiet, dim place helps, but even a "
                        "rest in a chair can be useful."
                    ),
                    (
                        "Some people find a coffee just before a short nap helps them "
                        "wake up sharper, because the caffeine starts working as they "
                        "rise. This is best avoided later in the day."
                    ),
                ],
            },
            {
                "heading": "Naps at different stages of life",
                "paragraphs": [
                    (
                        "Young children need daytime naps as part of healthy "
                        "development, and the number gradually drops as they grow. "
                        "Many older adults also find they nap more, sometimes because "
                        "night-time sleep becomes lighter."
                    ),
                    (
                        "New parents are often advised to sleep when the baby sleeps. "
                        "That is not always practical, but accepting offers of help so "
                        "you can rest, even briefly, can make the early weeks more "
                        "manageable."
                    ),
                ],
            },
        ],
        "list": [
            "Keep naps to 20 minutes or less",
            "Nap before about 3pm",
            "Set an alarm so you do not oversleep",
            "Skip naps if you struggle to sleep at night",
        ],
        "conclusion": (
            "Short, early naps can be a useful tool, especially for people with "
            "demanding schedules. However, needing to nap every day despite a full "
            "night in bed can be a sign of a sleep or health problem, so it is worth "
            "mentioning to your doctor if this sounds familiar."
        ),
        "related": ["caffeine-curfew", "shift-work-sleep"],
    },
    {
        "slug": "screens-before-bed",
        "title": "Screens Before Bed: Separating Light From Habit",
        "intro": (
            "Blue light often takes the blame for poor sleep, but what we do on our "
            "screens may matter just as much as the light they give off."
        ),
        "author": "callum-whitfield",
        "categories": ["news-and-blogs", "sleep"],
        "tags": ["screen-time", "sleep", "bedtime", "phones"],
        "days_ago": 8,
        "sections": [
            {
                "heading": "The blue light story",
                "paragraphs": [
                    (
                        "Light is the strongest signal for the body clock, and bright "
                        "light in the evening can delay the release of melatonin, the "
                        "hormone that helps prepare us for sleep. Screens emit a fair "
                        "amount of blue-toned light, which the body clock is "
                        "particularly sensitive to."
                    ),
                    (
                        "However, the light from a phone held at arm's length is much "
                        "dimmer than daylight or a brightly lit room. The effect of "
                        "screen light alone on most people's sleep appears to be "
                        "fairly modest."
                    ),
                ],
            },
            {
                "heading": "It is also about engagement",
                "paragraphs": [
                    (
                        "Scrolling through news, replying to messages or watching "
                        "gripping shows keeps the brain alert. It is easy to lose "
                        "track of time, and one more episode can quietly push bedtime "
                        "back by an hour."
                    ),
                    (
                        "Stressful content can be especially unhelpful. Reading work "
                        "emails or heated debates just before bed can leave you tense "
                        "and wide awake."
                    ),
                ],
            },
            {
                "heading": "Practical changes",
                "paragraphs": [
                    (
                        "Night mode settings and warmer screen colours are worth "
                        "using, but they are not a complete solution. Setting a screen "
                        "curfew, even 30 minutes before lights out, gives the mind "
                        "time to settle."
                    ),
                    (
                        "If you do use a device in bed, choose something calm and "
                        "predictable, such as an audiobook or gentle music with the "
                        "screen turned off."
                    ),
                ],
            },
            {
                "heading": "What about teenagers?",
                "paragraphs": [
                    (
                        "Body clocks naturally shift later during adolescence, which "
                        "already makes early bedtimes a struggle. Late-night phone use "
                        "can push this even further, leaving teenagers short of sleep "
                        "on school days."
                    ),
                    (
                        "Agreeing family rules, such as charging devices outside "
                        "bedrooms overnight, tends to work better when adults follow "
                        "them too. Explaining the reasons, rather than simply banning "
                        "screens, may help the habit stick."
                    ),
                ],
            },
        ],
        "quote": {
            "text": (
                "The problem is rarely the phone itself. It is the endless reasons it "
                "gives us to stay awake."
            ),
            "attribution": "A sleep researcher",
        },
        "conclusion": (
            "Reducing evening screen use is sensible, but focusing only on blue light "
            "misses half the picture. Pay attention to what you are doing on your "
            "devices, set a gentle cut-off, and if poor sleep persists despite good "
            "habits, speak to your doctor."
        ),
        "related": ["wind-down-routine", "screen-time-and-tired-eyes"],
    },
    {
        "slug": "walking-for-heart-health",
        "title": "Why a Daily Walk Is Good for Your Heart",
        "intro": (
            "Walking is free, needs no special kit and suits almost everyone. It is "
            "also one of the simplest ways to look after your heart."
        ),
        "author": "anjali-mehra",
        "categories": ["fitness", "heart-health"],
        "tags": ["walking", "exercise", "heart", "blood-pressure"],
        "days_ago": 24,
        "sections": [
            {
                "heading": "What walking does for the heart",
                "paragraphs": [
                    (
                        "Regular brisk walking helps the heart pump more efficiently "
                        "and can contribute to healthier blood pressure and "
                        "cholesterol levels over time. It also supports a healthy "
                        "weight and better blood sugar control, both of which matter "
                        "for heart health."
                    ),
                    (
                        "Guidelines in many countries suggest around 150 minutes of "
                        "moderate activity each week. Brisk walking counts, and it can "
                        "be split into short bouts of ten minutes or more."
                    ),
                ],
            },
            {
                "heading": "How brisk is brisk?",
                "paragraphs": [
                    (
                        "A brisk pace is one where you can still talk but would "
                        "struggle to sing. You should feel slightly warmer and breathe "
                        "a little faster than usual."
                    ),
                    (
                        "If you are new to exercise, start with a comfortable pace and "
                        "gradually pick it up. Consistency matters far more than speed "
                        "in the early weeks."
                    ),
                ],
            },
            {
                "heading": "Fitting it into the day",
                "paragraphs": [
                    (
                        "Walking part of the commute, taking a lap around the block at "
                        "lunchtime, or making phone calls on the move are easy ways to "
                        "add minutes. Walking with a friend or a local group can help "
                        "the habit stick."
                    ),
                    (
                        "Comfortable, supportive shoes make a big difference, "
                        "especially as you increase distance."
                    ),
                ],
            },
            {
                "heading": "Keeping it interesting",
                "paragraphs": [
                    (
                        "Changing your route, exploring a local park or listening to "
                        "podcasts can stop walking from feeling like a chore. Some "
                        "people enjoy setting small goals, such as reaching a "
                        "particular landmark."
                    ),
                    (
                        "Adding short uphill stretches or a few minutes of faster "
                        "walking raises the effort without needing to go further. "
                        "Build these in gradually and slow down if you feel unwell."
                    ),
                ],
            },
        ],
        "list": [
            "Aim for a pace where talking is possible but singing is hard",
            "Build up to 30 minutes on most days",
            "Split walks into shorter bouts if needed",
            "Invest in comfortable shoes",
            "Find a walking buddy or group",
        ],
        "conclusion": (
            "A daily walk is one of the most accessible habits for heart health. If "
            "you have a heart condition, chest pain, dizziness or breathlessness, or "
            "have been inactive for a long time, check with your doctor before "
            "significantly increasing your activity."
        ),
        "related": [
            "blood-pressure-at-home",
            "strength-training-after-50",
            "cholesterol-numbers",
        ],
    },
    {
        "slug": "strength-training-after-50",
        "title": "Strength Training After 50: Starting Safely",
        "intro": (
            "Muscle strength naturally declines with age, but it responds well to "
            "training at any stage of life. Here is how to begin without overdoing it."
        ),
        "author": "anjali-mehra",
        "categories": ["fitness"],
        "tags": ["exercise", "strength", "ageing", "muscles"],
        "days_ago": 30,
        "sections": [
            {
                "heading": "Why strength matters more with age",
                "paragraphs": [
                    (
                        "From middle age onwards, we gradually lose muscle mass and "
                        "strength unless we use our muscles regularly. This can make "
                        "everyday tasks like climbing stairs, carrying shopping or "
                        "getting up from a chair harder over time."
                    ),
                    (
                        "Strength training also supports bone health and balance, "
                        "which can reduce the risk of falls. Many guidelines recommend "
                        "muscle-strengthening activity on at least two days a week."
                    ),
                ],
            },
            {
                "heading": "Getting started",
                "paragraphs": [
                    (
                        "You do not need a gym. Exercises using your own body weight, "
                        "such as sit-to-stands from a chair, wall press-ups and "
                        "step-ups, are a good starting point. Resistance bands and "
                        "light hand weights can be added as you progress."
                    ),
                    (
                        "Focus on good form and controlled movements rather than heavy "
                        "loads. Aim for a weight or effort that feels challenging by "
                        "the last few repetitions but still lets you keep your "
                        "technique steady."
                    ),
                ],
            },
            {
                "heading": "Progressing sensibly",
                "paragraphs": [
                    (
                        "Increase the difficulty gradually, perhaps every couple of "
                        "weeks, by adding repetitions, sets or a little extra weight. "
                        "Some muscle soreness a day or two after a new session is "
                        "normal, but sharp pain is not."
                    ),
                    (
                        "Rest days matter because muscles strengthen during recovery. "
                        "Pairing strength work with regular walking gives a "
                        "well-rounded routine."
                    ),
                ],
            },
            {
                "heading": "A simple starter routine",
                "paragraphs": [
                    (
                        "A beginner session might include sit-to-stands, wall "
                        "press-ups, step-ups on the bottom stair and heel raises while "
                        "holding a worktop for balance. Aim for one or two sets of "
                        "eight to twelve repetitions of each."
                    ),
                    (
                        "Breathe steadily throughout and avoid holding your breath as "
                        "you lift. A session like this takes around 20 minutes and can "
                        "easily fit into a morning or evening routine."
                    ),
                ],
            },
        ],
        "quote": {
            "text": (
                "The best time to start was years ago. The second best time is this "
                "week, with a chair and a bit of patience."
            ),
            "attribution": "A community physiotherapist",
        },
        "conclusion": (
            "Strength training is valuable at any age and can be started safely at "
            "home. If you have a heart condition, joint problems, osteoporosis or "
            "other health concerns, speak to your doctor or a physiotherapist for "
            "advice tailored to you."
        ),
        "related": ["walking-for-heart-health", "stretching-basics"],
    },
    {
        "slug": "desk-posture-tips",
        "title": "Desk Posture: Small Adjustments That Add Up",
        "intro": (
            "There is no single perfect posture, but a few simple tweaks to your desk "
            "set-up and habits can ease stiffness and keep you more comfortable."
        ),
        "author": "anjali-mehra",
        "categories": ["news-and-blogs", "fitness"],
        "tags": ["posture", "back-pain", "workplace", "screen-time"],
        "days_ago": 12,
        "sections": [
            {
                "heading": "The myth of perfect posture",
                "paragraphs": [
                    (
                        "Many of us were told to sit bolt upright, but holding any "
                        "position for hours can become uncomfortable. Research "
                        "suggests that varying your posture and moving often is more "
                        "important than finding one ideal way to sit."
                    ),
                    (
                        "Aches in the neck, shoulders and lower back are very common "
                        "among desk workers. In most cases they are not a sign of "
                        "serious damage and improve with movement and small changes."
                    ),
                ],
            },
            {
                "heading": "Setting up your workstation",
                "paragraphs": [
                    (
                        "Adjust your chair so your feet rest flat on the floor or a "
                        "footrest, with your knees roughly level with your hips. The "
                        "top of your screen should sit at or slightly below eye level, "
                        "about an arm's length away."
                    ),
                    (
                        "Keep your keyboard and mouse close enough that your elbows "
                        "stay near your sides. If you use a laptop for long periods, a "
                        "separate keyboard and a stand can make a noticeable "
                        "difference."
                    ),
                ],
            },
            {
                "heading": "Building movement into the day",
                "paragraphs": [
                    (
                        "Standing up every 30 to 60 minutes, even briefly, gives your "
                        "muscles a break. Taking calls on your feet, walking to a "
                        "colleague instead of messaging, and stretching your shoulders "
                        "all help."
                    ),
                    (
                        "A standing desk can add variety, but standing still for hours "
                        "has its own drawbacks. Alternating between sitting and "
                        "standing tends to work best."
                    ),
                ],
            },
            {
                "heading": "Working from home",
                "paragraphs": [
                    (
                        "Home working often means laptops on sofas or kitchen tables, "
                        "which can leave people hunched over for hours. A few sturdy "
                        "books to raise the screen and a cushion to support the lower "
                        "back can help."
                    ),
                    (
                        "Without a commute, many people move far less during the day. "
                        "A short walk before starting work or at lunchtime can replace "
                        "some of that lost activity and help mark the boundary between "
                        "work and home."
                    ),
                ],
            },
        ],
        "list": [
            "Feet flat and knees level with hips",
            "Screen at or just below eye level",
            "Keyboard close, elbows by your sides",
            "Stand up and move every 30 to 60 minutes",
        ],
        "conclusion": (
            "Comfort at a desk comes from a sensible set-up and regular movement "
            "rather than rigid posture rules. If pain persists, spreads down an arm or "
            "leg, or is accompanied by numbness or weakness, see your GP or a "
            "physiotherapist."
        ),
        "related": ["stretching-basics", "screen-time-and-tired-eyes"],
    },
    {
        "slug": "stretching-basics",
        "title": "Stretching: When It Helps and When It Does Not",
        "intro": (
            "Stretching feels good and can improve flexibility, but it is not a magic "
            "shield against injury. Here is how to use it well."
        ),
        "author": "anjali-mehra",
        "categories": ["fitness"],
        "tags": ["stretching", "exercise", "flexibility", "posture"],
        "days_ago": 35,
        "sections": [
            {
                "heading": "What stretching can do",
                "paragraphs": [
                    (
                        "Regular stretching can gradually improve the range of "
                        "movement in your joints, which may make everyday tasks feel "
                        "easier. Many people also find it relaxing, and it can relieve "
                        "the stiffness that comes from sitting for long periods."
                    ),
                    (
                        "Flexibility tends to decline with age and inactivity, so "
                        "including some stretching in your week is a sensible habit "
                        "for most people."
                    ),
                ],
            },
            {
                "heading": "What it probably cannot do",
                "paragraphs": [
                    (
                        "The idea that stretching before exercise prevents injury is "
                        "widely held, but evidence for this is weaker than many "
                        "assume. Long, static stretches right before explosive "
                        "activity may even reduce power briefly."
                    ),
                    (
                        "Stretching is also unlikely to prevent the muscle soreness "
                        "that follows a hard workout. That soreness usually eases on "
                        "its own within a few days."
                    ),
                    (
                        "It is also worth knowing that flexibility varies naturally "
                        "between people, so comparing yourself with others is not "
                        "especially helpful."
                    ),
                ],
            },
            {
                "heading": "A better approach",
                "paragraphs": [
                    (
                        "Before exercise, a dynamic warm-up with gentle movements such "
                        "as leg swings, arm circles and light jogging is generally "
                        "more useful. Save longer, held stretches for after exercise "
                        "or a separate session."
                    ),
                    (
                        "Hold each stretch for around 20 to 30 seconds, breathing "
                        "steadily. You should feel a mild pull, never sharp pain."
                    ),
                ],
            },
            {
                "heading": "A few stretches to try",
                "paragraphs": [
                    (
                        "A calf stretch against a wall, a gentle chest opener in a "
                        "doorway and a seated hamstring stretch cover several areas "
                        "that often feel tight. Neck movements should be slow and "
                        "comfortable, never forced."
                    ),
                    (
                        "Ten minutes a few times a week is enough for many people to "
                        "notice a difference. Stretching after a warm shower or a "
                        "walk, when muscles are warmer, often feels easier."
                    ),
                    (
                        "Yoga and tai chi combine stretching with balance and "
                        "strength, and classes can be a sociable way to build the "
                        "habit."
                    ),
                ],
            },
        ],
        "quote": {
            "text": (
                "Think of stretching as maintenance for your joints rather than armour "
                "against injury."
            ),
            "attribution": "A sports physiotherapist",
        },
        "conclusion": (
            "Stretching is a helpful part of a balanced routine, particularly for "
            "flexibility and comfort, but it works best alongside strength training "
            "and regular activity. If you have a joint problem or recent injury, ask a "
            "physiotherapist which stretches are safe for you."
        ),
        "related": ["desk-posture-tips", "strength-training-after-50"],
    },
    {
        "slug": "gut-health-fibre",
        "title": "Feeding Your Gut: A Practical Guide to Fibre",
        "intro": (
            "Most adults eat far less fibre than recommended. Small, steady changes "
            "can support digestion and feed the helpful bacteria in your gut."
        ),
        "author": "imogen-rowley",
        "categories": ["nutrition"],
        "tags": ["gut-health", "fibre", "healthy-eating", "diet"],
        "days_ago": 19,
        "sections": [
            {
                "heading": "Why fibre matters",
                "paragraphs": [
                    (
                        "Fibre is the part of plant foods that we cannot fully digest. "
                        "It adds bulk to stools, helps keep bowel movements regular "
                        "and slows the absorption of sugar into the blood."
                    ),
                    (
                        "Some types of fibre also act as food for the bacteria living "
                        "in the large intestine. These bacteria produce substances "
                        "that appear to support the gut lining and may have wider "
                        "effects on health that researchers are still exploring."
                    ),
                ],
            },
            {
                "heading": "Where to find it",
                "paragraphs": [
                    (
                        "Wholegrains, beans, lentils, fruit, vegetables, nuts and "
                        "seeds are all good sources. Eating the skins of potatoes and "
                        "fruit, where practical, adds extra."
                    ),
                    (
                        "Variety is helpful, as different plants provide different "
                        "types of fibre. Some people aim to eat a wide range of plant "
                        "foods across the week rather than focusing on a single "
                        "source."
                    ),
                ],
            },
            {
                "heading": "Increasing fibre comfortably",
                "paragraphs": [
                    (
                        "Adding a lot of fibre suddenly can cause wind and bloating. "
                        "Increase it gradually over a few weeks and drink enough "
                        "fluid, as fibre works best when it can absorb water."
                    ),
                    (
                        "Simple swaps, such as wholemeal pasta instead of white or "
                        "adding a handful of lentils to a sauce, make a real "
                        "difference without overhauling your diet."
                    ),
                ],
            },
            {
                "heading": "Fibre and the wider diet",
                "paragraphs": [
                    (
                        "Diets rich in fibre are associated in research with a lower "
                        "risk of heart disease, type 2 diabetes and bowel cancer. "
                        "These are links seen across large groups, so they cannot "
                        "guarantee outcomes for an individual, but they are "
                        "encouraging."
                    ),
                    (
                        "Fibre supplements can be useful in specific situations, such "
                        "as some cases of constipation, but they do not provide the "
                        "range of nutrients found in whole foods. Ask a pharmacist or "
                        "GP before taking one regularly."
                    ),
                ],
            },
        ],
        "list": [
            "Switch to wholegrain bread, rice and pasta",
            "Add beans or lentils to two meals a week",
            "Keep the skins on potatoes",
            "Snack on fruit, nuts or seeds",
            "Increase fibre slowly and drink enough fluid",
        ],
        "conclusion": (
            "Eating more fibre is one of the most useful things most of us can do for "
            "our gut. If you notice a lasting change in bowel habits, blood in your "
            "stools or unexplained weight loss, see your doctor promptly rather than "
            "adjusting your diet on your own."
        ),
        "related": ["fermented-foods", "magnesium-rich-foods", "breakfast-and-energy"],
    },
    {
        "slug": "fermented-foods",
        "title": "Fermented Foods: Hype, Hope and What We Know",
        "intro": (
            "Kefir, kimchi and kombucha have become fashionable. They can be a tasty "
            "part of a healthy diet, but the science is still catching up with the "
            "marketing."
        ),
        "author": "imogen-rowley",
        "categories": ["news-and-blogs", "nutrition"],
        "tags": ["gut-health", "fermented-foods", "probiotics", "diet"],
        "days_ago": 27,
        "sections": [
            {
                "heading": "What fermentation does",
                "paragraphs": [
                    (
                        "Fermentation uses bacteria or yeasts to transform food, "
                        "creating new flavours and helping to preserve it. Yoghurt, "
                        "sauerkraut, miso and some cheeses have been made this way for "
                        "centuries."
                    ),
                    (
                        "Some fermented foods contain live microbes when eaten, while "
                        "others, such as most bread and many shop-bought pickles, do "
                        "not because they have been heated or pasteurised."
                    ),
                ],
            },
            {
                "heading": "What the research suggests",
                "paragraphs": [
                    (
                        "Early studies hint that regularly eating fermented foods may "
                        "increase the variety of bacteria in the gut, which is "
                        "generally thought to be a good sign. However, many studies "
                        "are small and short, and results are not always consistent."
                    ),
                    (
                        "Claims that a particular drink will transform your immunity "
                        "or mood go well beyond the current evidence. It is fairer to "
                        "think of these foods as a possible bonus rather than a "
                        "treatment."
                    ),
                ],
            },
            {
                "heading": "Trying them sensibly",
                "paragraphs": [
                    (
                        "If you enjoy them, adding a small portion of plain yoghurt, "
                        "kefir or sauerkraut to your week is a reasonable idea. Check "
                        "labels for added sugar, particularly in flavoured drinks and "
                        "yoghurts."
                    ),
                    (
                        "Some fermented foods are high in salt, which matters if you "
                        "are watching your blood pressure. People with weakened immune "
                        "systems should ask their care team before eating "
                        "unpasteurised products."
                    ),
                ],
            },
            {
                "heading": "Making your own",
                "paragraphs": [
                    (
                        "Home fermentation has become a popular hobby, and making "
                        "simple sauerkraut or yoghurt can be satisfying. Good hygiene "
                        "matters, as does following a reliable recipe with clear "
                        "guidance on salt levels and storage."
                    ),
                    (
                        "If a home ferment smells unpleasant, looks slimy or grows "
                        "fuzzy mould, throw it away rather than taking a risk. When in "
                        "doubt, start with shop-bought versions."
                    ),
                ],
            },
        ],
        "quote": {
            "text": (
                "Enjoy them for their flavour, and treat any health benefit as a "
                "welcome extra rather than a promise."
            ),
            "attribution": "A registered dietitian",
        },
        "conclusion": (
            "Fermented foods can add flavour and variety to a balanced diet, and they "
            "may offer modest benefits for the gut. They are not a cure-all, and "
            "anyone with a serious digestive condition or weakened immunity should "
            "talk to their doctor or dietitian first."
        ),
        "related": ["gut-health-fibre", "mindful-eating"],
    },
    {
        "slug": "slow-breathing-for-stress",
        "title": "Slow Breathing for Everyday Stress",
        "intro": (
            "When stress builds, a few minutes of slow breathing can help take the "
            "edge off. It is free, discreet and can be done almost anywhere."
        ),
        "author": "anjali-mehra",
        "categories": ["mental-health"],
        "tags": ["stress", "breathing", "relaxation", "anxiety"],
        "days_ago": 6,
        "sections": [
            {
                "heading": "How breathing affects stress",
                "paragraphs": [
                    (
                        "When we feel under pressure, breathing often becomes fast and "
                        "shallow. This is part of the body's natural alarm response, "
                        "and it can make us feel even more on edge."
                    ),
                    (
                        "Slowing the breath, especially lengthening the out-breath, is "
                        "thought to encourage the body's calming systems. Many people "
                        "find it helps them feel more settled within a few minutes."
                    ),
                    (
                        "Over time, this can become a loop in which physical tension "
                        "and worried thoughts feed each other."
                    ),
                ],
            },
            {
                "heading": "A simple technique",
                "paragraphs": [
                    (
                        "Sit or stand comfortably and relax your shoulders. Breathe in "
                        "gently through your nose for a count of four, then breathe "
                        "out slowly through your mouth for a count of six."
                    ),
                    (
                        "Repeat for three to five minutes. If counting feels awkward, "
                        "simply focus on making each out-breath a little longer than "
                        "the in-breath."
                    ),
                ],
            },
            {
                "heading": "Making it a habit",
                "paragraphs": [
                    (
                        "Breathing exercises tend to work best when practised "
                        "regularly, not only in moments of crisis. Linking them to a "
                        "daily event, such as waiting for the kettle to boil, can "
                        "help."
                    ),
                    (
                        "Some people feel light-headed at first. If this happens, "
                        "return to normal breathing and try a gentler pace next time."
                    ),
                ],
            },
            {
                "heading": "Other quick calming techniques",
                "paragraphs": [
                    (
                        "Grounding exercises can help when thoughts are racing. One "
                        "approach is to name five things you can see, four you can "
                        "hear and three you can feel, gently bringing your attention "
                        "back to the present."
                    ),
                    (
                        "Relaxing the muscles group by group, from the feet upwards, "
                        "is another option some people find helpful at bedtime. "
                        "Different techniques suit different people, so it is worth "
                        "trying a few."
                    ),
                ],
            },
        ],
        "list": [
            "Relax your shoulders and jaw",
            "Breathe in for four counts",
            "Breathe out for six counts",
            "Repeat for three to five minutes",
            "Practise daily, not only when stressed",
        ],
        "conclusion": (
            "Slow breathing is a useful tool for managing everyday stress, but it is "
            "not a substitute for support when things feel overwhelming. If stress or "
            "anxiety is affecting your sleep, work or relationships, talk to your GP, "
            "who can discuss talking therapies and other options."
        ),
        "related": [
            "worry-time-technique",
            "wind-down-routine",
            "loneliness-and-health",
        ],
    },
    {
        "slug": "worry-time-technique",
        "title": "Scheduled Worry Time: A Simple Technique to Try",
        "intro": (
            "Setting aside a short, fixed time each day to worry may sound odd, but "
            "many people find it stops anxious thoughts from spilling into every hour."
        ),
        "author": "anjali-mehra",
        "categories": ["mental-health"],
        "tags": ["stress", "anxiety", "sleep", "techniques"],
        "days_ago": 40,
        "sections": [
            {
                "heading": "What worry time is",
                "paragraphs": [
                    (
                        "Worry time is a technique often used in talking therapies. "
                        "Instead of trying to push worries away, you postpone them to "
                        "a planned slot, usually 15 to 20 minutes at the same time "
                        "each day."
                    ),
                    (
                        "When a worry pops up outside that time, you jot it down and "
                        "remind yourself that you will deal with it later. The aim is "
                        "to reduce how much of the day is taken over by worrying."
                    ),
                ],
            },
            {
                "heading": "How to try it",
                "paragraphs": [
                    (
                        "Choose a time that is not too close to bedtime, perhaps early "
                        "evening. Sit somewhere comfortable with your list of "
                        "postponed worries."
                    ),
                    (
                        "Go through each one and ask whether it is something you can "
                        "act on. If it is, note a small next step. If it is not, "
                        "practise letting it go, perhaps using slow breathing."
                    ),
                ],
            },
            {
                "heading": "What to expect",
                "paragraphs": [
                    (
                        "At first it can feel strange, and worries may keep intruding. "
                        "With practice, many people find they become better at "
                        "postponing them."
                    ),
                    (
                        "Often, by the time worry time comes around, some concerns no "
                        "longer feel as pressing. That in itself can be a useful "
                        "lesson about how worries come and go."
                    ),
                ],
            },
            {
                "heading": "Tips for getting it right",
                "paragraphs": [
                    (
                        "Keep a notebook or a note on your phone handy so that "
                        "postponing worries is quick and easy. Try to stick to the "
                        "same time and place each day, which helps the routine feel "
                        "predictable."
                    ),
                    (
                        "End each session with something pleasant or absorbing, such "
                        "as a walk, a phone call or a favourite programme. This helps "
                        "mark a clear boundary between worry time and the rest of your "
                        "evening."
                    ),
                ],
            },
        ],
        "quote": {
            "text": (
                "Writing a worry down does not mean ignoring it. It means choosing "
                "when to give it your attention."
            ),
            "attribution": "A cognitive behavioural therapist",
        },
        "conclusion": (
            "Scheduled worry time is a practical, low-cost technique that helps some "
            "people gain a sense of control over anxious thoughts. If worry feels "
            "constant, is affecting your sleep or daily life, or you are struggling to "
            "cope, please speak to your GP about further support."
        ),
        "related": ["slow-breathing-for-stress", "wind-down-routine"],
    },
    {
        "slug": "loneliness-and-health",
        "title": "Loneliness Is a Health Issue Too",
        "intro": (
            "Feeling lonely is more than an emotional hardship. Researchers "
            "increasingly see social connection as an important part of overall "
            "health."
        ),
        "author": "anjali-mehra",
        "categories": ["news-and-blogs", "mental-health"],
        "tags": ["loneliness", "wellbeing", "community", "mental-health"],
        "days_ago": 45,
        "sections": [
            {
                "heading": "A common experience",
                "paragraphs": [
                    (
                        "Loneliness can affect anyone, at any age. Young adults moving "
                        "to new cities, new parents, carers and older people living "
                        "alone are among those who may feel it most."
                    ),
                    (
                        "Being alone is not the same as being lonely. Some people "
                        "enjoy plenty of solitude, while others feel isolated even "
                        "when surrounded by people."
                    ),
                ],
            },
            {
                "heading": "Why it matters for health",
                "paragraphs": [
                    (
                        "Long-term loneliness has been linked in studies to poorer "
                        "sleep, higher stress levels and a greater risk of low mood. "
                        "Some research also links it with heart health, although "
                        "untangling cause and effect is difficult."
                    ),
                    (
                        "What seems clear is that meaningful connection tends to "
                        "support wellbeing, and that small steps towards it can help."
                    ),
                ],
            },
            {
                "heading": "Small steps towards connection",
                "paragraphs": [
                    (
                        "Reaching out to one person, even with a short message, can be "
                        "a good start. Local groups built around a shared activity, "
                        "such as walking, gardening or volunteering, make it easier to "
                        "meet people without pressure."
                    ),
                    (
                        "Many areas have community schemes that link people with local "
                        "activities and support. Your GP practice may be able to point "
                        "you towards these."
                    ),
                ],
            },
            {
                "heading": "Supporting someone else",
                "paragraphs": [
                    (
                        "If you think a friend, neighbour or relative may be lonely, a "
                        "regular call or visit can mean more than you might expect. "
                        "Inviting them along on an everyday errand can feel less "
                        "formal than a special occasion."
                    ),
                    (
                        "It is also worth listening without rushing to fix things. "
                        "Sometimes the most helpful thing is simply showing that you "
                        "are interested in how they are doing."
                    ),
                ],
            },
        ],
        "list": [
            "Send a message to someone you have not spoken to in a while",
            "Look for a local group based on an interest",
            "Consider volunteering for a cause you care about",
            "Ask your GP practice about community support",
        ],
        "conclusion": (
            "Loneliness is common and nothing to be ashamed of. If it is affecting "
            "your mood, sleep or ability to cope, talking to your GP is a good first "
            "step, and in an emergency or if you feel unsafe, contact emergency "
            "services or a crisis line straight away."
        ),
        "related": ["slow-breathing-for-stress", "walking-for-heart-health"],
    },
    {
        "slug": "blood-pressure-at-home",
        "title": "Measuring Blood Pressure at Home: A Beginner's Guide",
        "intro": (
            "Home blood pressure monitors are affordable and easy to use. Taking "
            "readings correctly makes the results far more useful to you and your "
            "doctor."
        ),
        "author": "anjali-mehra",
        "categories": ["heart-health"],
        "tags": ["blood-pressure", "heart", "monitoring"],
        "days_ago": 15,
        "sections": [
            {
                "heading": "Why measure at home",
                "paragraphs": [
                    (
                        "High blood pressure rarely causes symptoms, so many people do "
                        "not know they have it. Yet over time it can strain the heart "
                        "and blood vessels."
                    ),
                    (
                        "Readings taken at a clinic can be higher than usual because "
                        "of nerves. Home monitoring gives a picture of your blood "
                        "pressure in everyday life, which can help your doctor make "
                        "decisions."
                    ),
                    (
                        "Home monitors are also useful for people already taking blood "
                        "pressure medicine, helping them and their doctor see how well "
                        "it is working."
                    ),
                ],
            },
            {
                "heading": "Choosing a monitor",
                "paragraphs": [
                    (
                        "Look for an upper-arm monitor that has been clinically "
                        "validated. Wrist monitors can be less reliable for many "
                        "people."
                    ),
                    (
                        "The cuff size matters. A cuff that is too small or too large "
                        "can give misleading readings, so measure your upper arm and "
                        "check the cuff range before buying."
                    ),
                ],
            },
            {
                "heading": "Taking a good reading",
                "paragraphs": [
                    (
                        "Sit quietly for five minutes with your back supported, feet "
                        "flat and arm resting at heart level. Avoid caffeine, exercise "
                        "and smoking for 30 minutes beforehand."
                    ),
                    (
                        "Take two readings a minute or so apart and record both. Many "
                        "doctors suggest measuring morning and evening for a week to "
                        "get a reliable average."
                    ),
                ],
            },
            {
                "heading": "Understanding the numbers",
                "paragraphs": [
                    (
                        "A reading is given as two numbers. The first, systolic "
                        "pressure, reflects the force as the heart pumps, and the "
                        "second, diastolic pressure, reflects the pressure as the "
                        "heart rests between beats."
                    ),
                    (
                        "Targets vary depending on your age and health, so ask your GP "
                        "or nurse which range applies to you. A single high reading is "
                        "not a cause for panic, but a consistent pattern is worth "
                        "discussing."
                    ),
                ],
            },
        ],
        "list": [
            "Use a validated upper-arm monitor",
            "Rest for five minutes before measuring",
            "Keep your arm supported at heart level",
            "Take two readings and write both down",
            "Share your record with your GP or nurse",
        ],
        "conclusion": (
            "Home monitoring is a helpful way to understand your blood pressure, but "
            "it works best alongside professional advice. Do not change or stop any "
            "medication based on your readings without speaking to your doctor, and "
            "seek urgent help if a very high reading comes with symptoms like chest "
            "pain or severe headache."
        ),
        "related": [
            "salt-and-blood-pressure",
            "walking-for-heart-health",
            "cholesterol-numbers",
        ],
    },
    {
        "slug": "salt-and-blood-pressure",
        "title": "Cutting Back on Salt Without Losing Flavour",
        "intro": (
            "Most of the salt we eat is already in food before it reaches the table. "
            "Knowing where it hides makes cutting back much easier."
        ),
        "author": "imogen-rowley",
        "categories": ["nutrition", "heart-health"],
        "tags": ["salt", "blood-pressure", "heart", "healthy-eating"],
        "days_ago": 33,
        "sections": [
            {
                "heading": "Why salt matters",
                "paragraphs": [
                    (
                        "Eating too much salt is linked to higher blood pressure, "
                        "which in turn increases the risk of heart disease and stroke. "
                        "Many adults eat considerably more than the recommended daily "
                        "limit."
                    ),
                    (
                        "Reducing salt intake can help lower blood pressure in many "
                        "people, and the benefits tend to be greater for those whose "
                        "blood pressure is already raised."
                    ),
                    (
                        "Children need even less salt than adults, so family meals "
                        "that are lower in salt benefit everyone at the table."
                    ),
                ],
            },
            {
                "heading": "Where salt hides",
                "paragraphs": [
                    (
                        "Bread, breakfast cereals, ready meals, sauces, processed "
                        "meats, cheese and savoury snacks are major sources. Even "
                        "foods that do not taste especially salty can contribute a lot "
                        "over a day."
                    ),
                    (
                        "Food labels can help. Many use colour coding, and comparing "
                        "similar products often reveals big differences in salt "
                        "content."
                    ),
                    (
                        "Stock cubes, soy sauce and gravy granules are also "
                        "concentrated sources, so using smaller amounts or lower-salt "
                        "versions can help."
                    ),
                ],
            },
            {
                "heading": "Keeping the flavour",
                "paragraphs": [
                    (
                        "Our taste buds adapt. After a few weeks of eating less salt, "
                        "many people find that heavily salted food starts to taste too "
                        "strong."
                    ),
                    (
                        "Herbs, spices, garlic, lemon juice, vinegar and black pepper "
                        "add plenty of flavour. Cooking from scratch, even a few times "
                        "a week, gives you more control."
                    ),
                ],
            },
            {
                "heading": "Eating out and takeaways",
                "paragraphs": [
                    (
                        "Restaurant dishes and takeaways are often much saltier than "
                        "home cooking. Asking for sauces on the side, choosing dishes "
                        "with more vegetables and skipping extra salty sides can all "
                        "help."
                    ),
                    (
                        "You do not need to give up favourite meals. Treating very "
                        "salty foods as occasional rather than everyday choices is a "
                        "realistic approach for most people."
                    ),
                    (
                        "Tasting food before adding salt at the table is another easy "
                        "habit, as many dishes need less than we assume."
                    ),
                ],
            },
        ],
        "quote": {
            "text": (
                "Give your taste buds a month. Most people are surprised how quickly "
                "they stop missing the extra salt."
            ),
            "attribution": "A community dietitian",
        },
        "conclusion": (
            "Reducing salt is a practical, evidence-backed step for heart health. If "
            "you have high blood pressure, kidney disease or take medication, ask your "
            "doctor before switching to salt substitutes, as some contain potassium "
            "that may not be suitable for everyone."
        ),
        "related": ["blood-pressure-at-home", "fermented-foods"],
    },
    {
        "slug": "cholesterol-numbers",
        "title": "Understanding Your Cholesterol Numbers",
        "intro": (
            "A cholesterol test produces several numbers that can be confusing. Here "
            "is a plain-language guide to what they mean and what affects them."
        ),
        "author": "anjali-mehra",
        "categories": ["heart-health"],
        "tags": ["cholesterol", "heart", "blood-tests"],
        "days_ago": 52,
        "sections": [
            {
                "heading": "What cholesterol is",
                "paragraphs": [
                    (
                        "Cholesterol is a fatty substance that the body needs to build "
                        "cells and make some hormones. It travels in the blood "
                        "attached to proteins, forming particles called lipoproteins."
                    ),
                    (
                        "Problems arise when too much cholesterol builds up in the "
                        "walls of arteries, narrowing them over time. This can "
                        "increase the risk of heart attacks and strokes."
                    ),
                ],
            },
            {
                "heading": "The main numbers",
                "paragraphs": [
                    (
                        "LDL cholesterol is often called the bad type, because higher "
                        "levels are linked to build-up in the arteries. HDL "
                        "cholesterol is sometimes called the good type, because it "
                        "helps carry cholesterol away to the liver."
                    ),
                    (
                        "Your results may also show total cholesterol, triglycerides "
                        "and a ratio between total and HDL cholesterol. Doctors "
                        "usually look at these numbers alongside your age, blood "
                        "pressure, smoking status and family history to estimate "
                        "overall risk."
                    ),
                    (
                        "High triglyceride levels can be linked with drinking too much "
                        "alcohol, eating a lot of sugary foods and poorly controlled "
                        "diabetes."
                    ),
                ],
            },
            {
                "heading": "What influences your levels",
                "paragraphs": [
                    (
                        "Diet, physical activity, body weight, alcohol and smoking all "
                        "play a part. Some people inherit a tendency towards high "
                        "cholesterol, regardless of lifestyle."
                    ),
                    (
                        "Eating more fibre, choosing unsaturated fats over saturated "
                        "fats and staying active can help improve levels for many "
                        "people."
                    ),
                ],
            },
            {
                "heading": "Getting tested",
                "paragraphs": [
                    (
                        "Many health services offer cholesterol checks as part of "
                        "routine health assessments for middle-aged adults. Your GP "
                        "can also arrange a test if you have risk factors or a family "
                        "history of early heart disease."
                    ),
                    (
                        "Some tests require fasting beforehand, while others do not, "
                        "so follow the instructions you are given. If your result is "
                        "borderline, your doctor may suggest repeating it after a few "
                        "months of lifestyle changes."
                    ),
                ],
            },
        ],
        "list": [
            "Ask your doctor to explain your overall risk, not just one number",
            "Swap some saturated fats for unsaturated ones",
            "Include oats, beans and other fibre-rich foods",
            "Stay active most days",
        ],
        "conclusion": (
            "Cholesterol numbers make most sense as part of the bigger picture of your "
            "heart health. Your doctor can explain your results and whether lifestyle "
            "changes, medication or both are appropriate for you."
        ),
        "related": [
            "walking-for-heart-health",
            "omega-3-and-heart",
            "blood-pressure-at-home",
        ],
    },
    {
        "slug": "iron-and-tiredness",
        "title": "Iron, Tiredness and When to Get Tested",
        "intro": (
            "Feeling tired all the time has many possible causes. Low iron is one of "
            "them, and it is worth understanding before you buy a supplement."
        ),
        "author": "imogen-rowley",
        "categories": ["nutrition"],
        "tags": ["iron", "minerals", "energy", "blood-tests"],
        "days_ago": 38,
        "sections": [
            {
                "heading": "Why iron matters",
                "paragraphs": [
                    (
                        "Iron helps make haemoglobin, the part of red blood cells that "
                        "carries oxygen around the body. Without enough, the body "
                        "struggles to deliver oxygen to muscles and organs, which can "
                        "leave you feeling exhausted."
                    ),
                    (
                        "Iron deficiency is one of the most common nutritional "
                        "problems worldwide. People who have heavy periods, are "
                        "pregnant, follow a plant-based diet without planning or have "
                        "certain gut conditions are at higher risk."
                    ),
                ],
            },
            {
                "heading": "Signs to look out for",
                "paragraphs": [
                    (
                        "Tiredness, shortness of breath on exertion, pale skin, "
                        "headaches and a noticeable heartbeat can all be signs of low "
                        "iron. Some people also notice restless legs or unusual "
                        "cravings, such as for ice."
                    ),
                    (
                        "These symptoms are not specific. Many people who feel tired "
                        "have normal iron levels, so a blood test is the only reliable "
                        "way to know."
                    ),
                ],
            },
            {
                "heading": "Food sources and absorption",
                "paragraphs": [
                    (
                        "Red meat, beans, lentils, tofu, dark green vegetables, dried "
                        "fruit and fortified cereals provide iron. Iron from plant "
                        "foods is absorbed less easily, but eating it with a source of "
                        "vitamin C, such as citrus fruit or peppers, can help."
                    ),
                    (
                        "Tea and coffee can reduce iron absorption when drunk with "
                        "meals. Leaving a gap of an hour or so can make a difference "
                        "for people at risk of being low."
                    ),
                ],
            },
            {
                "heading": "If you are prescribed iron",
                "paragraphs": [
                    (
                        "Iron tablets can cause side effects such as stomach upset, "
                        "constipation and dark stools. Taking them with food can ease "
                        "these, although it may reduce absorption slightly, so follow "
                        "the advice you are given."
                    ),
                    (
                        "Your doctor will usually arrange a follow-up blood test to "
                        "check that levels are improving. It is also important to find "
                        "out why iron was low in the first place, rather than simply "
                        "replacing it."
                    ),
                ],
            },
        ],
        "quote": {
            "text": (
                "Tiredness is a symptom, not a diagnosis. It is worth finding out why "
                "before treating it."
            ),
            "attribution": "A GP",
        },
        "conclusion": (
            "Low iron is common and usually easy to treat once identified, but taking "
            "iron supplements without a test is not advised, because too much iron can "
            "be harmful. If you have ongoing tiredness, talk to your doctor, who can "
            "arrange a blood test and look for the underlying cause."
        ),
        "related": ["vitamin-d-in-winter", "magnesium-and-restless-legs"],
    },
    {
        "slug": "screen-time-and-tired-eyes",
        "title": "Screen Time and Tired Eyes: The 20-20-20 Habit",
        "intro": (
            "Long hours at a screen can leave eyes feeling dry, sore and strained. A "
            "simple rule of thumb and a few tweaks to your set-up can help."
        ),
        "author": "anjali-mehra",
        "categories": ["news-and-blogs"],
        "tags": ["screen-time", "eyes", "workplace", "habits"],
        "days_ago": 4,
        "sections": [
            {
                "heading": "Why screens tire the eyes",
                "paragraphs": [
                    (
                        "When we concentrate on a screen, we tend to blink less often, "
                        "which can leave the surface of the eyes dry and irritated. "
                        "Focusing at the same distance for a long time can also make "
                        "the eye muscles feel tired."
                    ),
                    (
                        "Glare, poor lighting and a screen set too close or too far "
                        "away can add to the strain. These symptoms are uncomfortable "
                        "but usually temporary."
                    ),
                    (
                        "Many people also notice headaches or blurred vision towards "
                        "the end of a long day at the computer."
                    ),
                ],
            },
            {
                "heading": "The 20-20-20 rule",
                "paragraphs": [
                    (
                        "A popular tip is to look at something about 20 feet away for "
                        "20 seconds every 20 minutes. This gives the focusing muscles "
                        "a chance to relax and encourages blinking."
                    ),
                    (
                        "Setting a gentle reminder on your computer or phone can help "
                        "the habit stick, at least until it becomes second nature."
                    ),
                ],
            },
            {
                "heading": "Other helpful changes",
                "paragraphs": [
                    (
                        "Position your screen about an arm's length away, with the top "
                        "at or slightly below eye level. Reduce glare by adjusting "
                        "blinds or lamps, and match the screen brightness to the room."
                    ),
                    (
                        "If your eyes feel dry, consciously blinking more can help, "
                        "and a pharmacist can advise on lubricating eye drops."
                    ),
                ],
            },
            {
                "heading": "Children and screens",
                "paragraphs": [
                    (
                        "Children's eyes can tire in the same way, and some research "
                        "suggests that spending more time outdoors may be good for "
                        "developing eyes. Encouraging breaks for outdoor play has "
                        "benefits well beyond eye comfort."
                    ),
                    (
                        "Regular sight tests are important for children, who may not "
                        "realise their vision is blurry. Schools and opticians can "
                        "advise on how often checks are recommended."
                    ),
                ],
            },
        ],
        "list": [
            "Look 20 feet away for 20 seconds every 20 minutes",
            "Keep the screen about an arm's length away",
            "Reduce glare from windows and lamps",
            "Blink deliberately during long tasks",
            "Have regular eye tests",
        ],
        "conclusion": (
            "Tired eyes from screen use are common and usually improve with regular "
            "breaks and a better set-up. Book an eye test if symptoms persist, as you "
            "may need glasses for screen work, and see a doctor urgently for sudden "
            "changes in vision or eye pain."
        ),
        "related": ["desk-posture-tips", "screens-before-bed"],
    },
    {
        "slug": "breakfast-and-energy",
        "title": "Does Breakfast Really Matter for Your Energy?",
        "intro": (
            "Breakfast has been called the most important meal of the day, but the "
            "reality is more nuanced. What you eat may matter more than when you eat "
            "it."
        ),
        "author": "imogen-rowley",
        "categories": ["news-and-blogs", "nutrition"],
        "tags": ["breakfast", "energy", "healthy-eating", "diet"],
        "days_ago": 48,
        "sections": [
            {
                "heading": "The breakfast debate",
                "paragraphs": [
                    (
                        "For decades, skipping breakfast was seen as a bad habit. More "
                        "recent studies suggest the picture is mixed, and that some "
                        "people feel perfectly well without eating first thing."
                    ),
                    (
                        "Much depends on your routine, appetite and health. Children, "
                        "teenagers and people with certain medical conditions may "
                        "benefit more from a regular morning meal."
                    ),
                    (
                        "Part of the original enthusiasm came from studies showing "
                        "that breakfast eaters tended to be healthier. However, people "
                        "who eat breakfast may differ in other ways too, such as "
                        "sleeping more or smoking less, which makes it hard to single "
                        "out the meal itself."
                    ),
                ],
            },
            {
                "heading": "Listening to your appetite",
                "paragraphs": [
                    (
                        "Some people wake up hungry, while others cannot face food "
                        "until mid-morning. Both are normal. Forcing down a meal you "
                        "do not want is not necessary for most adults."
                    ),
                    (
                        "However, if skipping breakfast leads to mid-morning snacking "
                        "on sugary foods or overeating later, a morning meal might "
                        "suit you better."
                    ),
                ],
            },
            {
                "heading": "Building a satisfying morning meal",
                "paragraphs": [
                    (
                        "A breakfast that includes protein and fibre tends to keep "
                        "people fuller for longer. Porridge with fruit, eggs on "
                        "wholegrain toast or plain yoghurt with nuts are simple "
                        "options."
                    ),
                    (
                        "Many breakfast cereals are fortified with iron, folic acid "
                        "and other nutrients, which can be useful for some groups. "
                        "Choosing varieties lower in sugar and higher in fibre makes "
                        "them a better everyday option."
                    ),
                ],
            },
            {
                "heading": "A note on fortified foods",
                "paragraphs": [
                    (
                        "Fortified cereals and spreads can make a real contribution "
                        "for people with limited diets. Some provide a meaningful "
                        "share of daily vitamin D and B12, which can be especially "
                        "helpful for people who eat little or no animal produce."
                    ),
                    (
                        "Checking labels helps you compare products. It is worth "
                        "remembering, though, that a varied diet overall matters more "
                        "than any single fortified product."
                    ),
                ],
            },
        ],
        "quote": {
            "text": (
                "There is no one right way to eat in the morning. The best breakfast "
                "is one that suits your body and your day."
            ),
            "attribution": "A registered dietitian",
        },
        "conclusion": (
            "Whether you eat breakfast or not is largely a personal choice for healthy "
            "adults. If you have diabetes, take medication that needs food or have a "
            "history of disordered eating, speak to your doctor or dietitian about the "
            "pattern that is right for you."
        ),
        "related": ["gut-health-fibre", "mindful-eating"],
    },
    {
        "slug": "evening-exercise-and-sleep",
        "title": "Does Evening Exercise Ruin Your Sleep?",
        "intro": (
            "Many people worry that a late workout will leave them too wired to sleep. "
            "For most, the research is reassuring, with a few sensible caveats."
        ),
        "author": "callum-whitfield",
        "categories": ["fitness", "sleep"],
        "tags": ["exercise", "sleep", "bedtime", "routine"],
        "days_ago": 22,
        "sections": [
            {
                "heading": "The traditional advice",
                "paragraphs": [
                    (
                        "For years, people were told to avoid exercise in the evening "
                        "because it raises heart rate and body temperature. The worry "
                        "was that this would make it harder to drift off."
                    ),
                    (
                        "In practice, most people who exercise in the evening do not "
                        "seem to sleep worse. Regular physical activity at any time of "
                        "day is generally linked with better sleep quality."
                    ),
                    (
                        "Gentle activities such as yoga or a relaxed walk are unlikely "
                        "to cause problems for anyone."
                    ),
                ],
            },
            {
                "heading": "Where timing can matter",
                "paragraphs": [
                    (
                        "Very intense sessions finishing within an hour or so of "
                        "bedtime may make it harder for some people to settle. Bright "
                        "gym lighting and stimulating music can add to the effect."
                    ),
                    (
                        "Everyone is different. Some people find a late run leaves "
                        "them pleasantly tired, while others feel buzzing for hours "
                        "afterwards."
                    ),
                ],
            },
            {
                "heading": "Finding what works for you",
                "paragraphs": [
                    (
                        "If evenings are the only time you can exercise, it is usually "
                        "better to exercise then than not at all. Try finishing "
                        "vigorous sessions at least an hour or two before bed, and "
                        "choose gentler activity closer to bedtime."
                    ),
                    (
                        "A short cool-down, a warm shower and a dim, quiet wind-down "
                        "can help the body shift back towards rest."
                    ),
                ],
            },
            {
                "heading": "Morning or evening?",
                "paragraphs": [
                    (
                        "Some people find morning exercise sets them up for the day, "
                        "and morning daylight is good for the body clock. Others feel "
                        "stiff and sluggish early on and perform better later."
                    ),
                    (
                        "The best time to exercise is the time you can stick with. "
                        "Consistency over weeks and months matters far more than the "
                        "clock."
                    ),
                ],
            },
        ],
        "list": [
            "Finish hard workouts an hour or two before bed",
            "Choose gentle movement late in the evening",
            "Include a proper cool-down",
            "Notice how your sleep responds and adjust",
        ],
        "conclusion": (
            "For most people, evening exercise is compatible with good sleep, and the "
            "benefits of staying active outweigh small timing concerns. If you have a "
            "heart condition or sleep disorder, check with your doctor about the type "
            "and timing of exercise that suits you."
        ),
        "related": ["wind-down-routine", "walking-for-heart-health"],
    },
    {
        "slug": "mindful-eating",
        "title": "Mindful Eating Without the Mysticism",
        "intro": (
            "Mindful eating simply means paying attention to what and how you eat. It "
            "is less about rules and more about noticing."
        ),
        "author": "imogen-rowley",
        "categories": ["nutrition", "mental-health"],
        "tags": ["mindful-eating", "healthy-eating", "stress", "habits"],
        "days_ago": 57,
        "sections": [
            {
                "heading": "What mindful eating means",
                "paragraphs": [
                    (
                        "Mindful eating involves slowing down and noticing the taste, "
                        "texture and smell of food, as well as your body's signals of "
                        "hunger and fullness. It is not a diet and does not ban any "
                        "foods."
                    ),
                    (
                        "Many of us eat while working, scrolling or watching "
                        "television, which makes it easy to miss the point at which we "
                        "are comfortably full."
                    ),
                    (
                        "It also involves noticing thoughts and feelings around food "
                        "without judging them."
                    ),
                ],
            },
            {
                "heading": "Potential benefits",
                "paragraphs": [
                    (
                        "Some people find mindful eating helps them enjoy food more "
                        "and feel more in control of snacking. It may also help reduce "
                        "eating in response to stress or boredom."
                    ),
                    (
                        "The research is still developing and results vary, but as a "
                        "low-risk approach it can be worth exploring alongside other "
                        "healthy habits."
                    ),
                ],
            },
            {
                "heading": "Simple ways to start",
                "paragraphs": [
                    (
                        "Try eating one meal a day without screens. Put your fork down "
                        "between mouthfuls and take a moment to notice how hungry you "
                        "still feel."
                    ),
                    (
                        "Before reaching for a snack, pause and ask whether you are "
                        "physically hungry or looking for comfort, distraction or a "
                        "break. Either answer is fine, but noticing the difference can "
                        "be useful."
                    ),
                ],
            },
            {
                "heading": "Eating well when stressed",
                "paragraphs": [
                    (
                        "Stress can change appetite in different ways, with some "
                        "people losing interest in food and others reaching for snacks "
                        "more often. Neither response is a personal failing."
                    ),
                    (
                        "Keeping regular mealtimes and having easy, nourishing options "
                        "at home can make busy or difficult weeks more manageable. A "
                        "simple meal eaten slowly can be more restoring than a rushed "
                        "one at a desk."
                    ),
                    (
                        "If stress eating feels frequent or out of control, talking to "
                        "your GP may help you find the right support."
                    ),
                ],
            },
        ],
        "quote": {
            "text": (
                "You do not have to eat every meal mindfully. Even one slower, "
                "screen-free meal a day can shift how you relate to food."
            ),
            "attribution": "A registered dietitian",
        },
        "conclusion": (
            "Mindful eating is a gentle, flexible approach that many people find "
            "helpful. If you have a history of eating disorders or find that food and "
            "eating cause you significant distress, please seek support from your GP "
            "or a specialist service."
        ),
        "related": [
            "breakfast-and-energy",
            "fermented-foods",
            "slow-breathing-for-stress",
        ],
    },
    {
        "slug": "reader-questions-spring",
        "title": "Reader Questions: Sleep, Snacks and Supplements",
        "intro": (
            "Every few months we gather the questions readers send us most often. This "
            "round covers late-night snacks, supplements and waking in the night."
        ),
        "author": "anjali-mehra",
        "categories": ["news-and-blogs"],
        "tags": ["sleep", "supplements", "healthy-eating", "magnesium"],
        "days_ago": 63,
        "sections": [
            {
                "heading": "Is it bad to eat late at night?",
                "paragraphs": [
                    (
                        "A light snack before bed is fine for most people, and going "
                        "to bed very hungry can disturb sleep. Large, rich or spicy "
                        "meals close to bedtime are more likely to cause indigestion "
                        "or reflux."
                    ),
                    (
                        "If you often feel hungry late at night, it may be worth "
                        "looking at whether your earlier meals are satisfying enough."
                    ),
                ],
            },
            {
                "heading": "Should I take a supplement just in case?",
                "paragraphs": [
                    (
                        "For most healthy adults eating a varied diet, routine "
                        "supplements are not needed, with a few exceptions such as "
                        "those covered in national guidance. Taking supplements you do "
                        "not need can waste money and, in some cases, cause side "
                        "effects or interact with medicines."
                    ),
                    (
                        "Several readers asked about magnesium in particular. It is "
                        "best thought of as something to discuss with a professional "
                        "if you have symptoms or risk factors, rather than a general "
                        "tonic."
                    ),
                ],
            },
            {
                "heading": "Why do I wake at 3am?",
                "paragraphs": [
                    (
                        "Brief awakenings during the night are normal, and most people "
                        "do not remember them. Problems arise when we lie awake "
                        "worrying, which can make it harder to drift back off."
                    ),
                    (
                        "If you have been awake for what feels like a long time, "
                        "getting up to do something calm in dim light until you feel "
                        "sleepy can help. Clock-watching tends to make things worse."
                    ),
                ],
            },
            {
                "heading": "Does a nightcap help me sleep?",
                "paragraphs": [
                    (
                        "Alcohol can make you feel drowsy and may help you fall asleep "
                        "faster, but it tends to disrupt sleep later in the night. "
                        "Many people wake more often and feel less rested the next "
                        "morning."
                    ),
                    (
                        "If you drink, keeping within lower-risk limits and having "
                        "several alcohol-free days each week is sensible for both "
                        "sleep and general health."
                    ),
                ],
            },
        ],
        "list": [
            "Keep late snacks light",
            "Discuss supplements with a pharmacist before buying",
            "Turn your clock away from the bed",
            "Get up briefly if you cannot sleep",
        ],
        "conclusion": (
            "Thank you to everyone who sent in questions. We cannot give personal "
            "medical advice, so if any of these issues are affecting you "
            "significantly, please speak to your doctor or pharmacist."
        ),
        "related": [
            "magnesium-supplements-explained",
            "naps-good-or-bad",
            "hydration-how-much-water",
        ],
    },
    {
        "slug": "heat-and-hydration",
        "title": "Staying Well in Hot Weather",
        "intro": (
            "Heatwaves are becoming more common, and hot weather can be hard on the "
            "body. A few simple precautions help you and those around you stay safe."
        ),
        "author": "anjali-mehra",
        "categories": ["news-and-blogs"],
        "tags": ["hydration", "heat", "water", "summer"],
        "days_ago": 90,
        "sections": [
            {
                "heading": "Who is most at risk",
                "paragraphs": [
                    (
                        "Older adults, babies and young children, people with "
                        "long-term conditions such as heart or lung disease, and those "
                        "who work outdoors are most vulnerable in the heat. Some "
                        "medicines can also affect how the body copes with high "
                        "temperatures."
                    ),
                    (
                        "Checking in on elderly neighbours or relatives during hot "
                        "spells is one of the most helpful things you can do."
                    ),
                ],
            },
            {
                "heading": "Keeping cool",
                "paragraphs": [
                    (
                        "Stay out of the sun during the hottest part of the day, "
                        "usually late morning to mid-afternoon. Close curtains on "
                        "sun-facing windows and open windows when the air outside is "
                        "cooler."
                    ),
                    (
                        "Wear loose, light-coloured clothing and a hat if you go out. "
                        "A cool shower or damp cloth on the skin can bring quick "
                        "relief."
                    ),
                    (
                        "Fans help circulate air, but in very high temperatures they "
                        "are less effective, so cooling the skin with water may be "
                        "needed too."
                    ),
                ],
            },
            {
                "heading": "Drinking enough",
                "paragraphs": [
                    (
                        "Drink regularly throughout the day, even if you do not feel "
                        "very thirsty. Water, diluted squash and milk are all good "
                        "choices."
                    ),
                    (
                        "Alcohol and large amounts of caffeine can make dehydration "
                        "worse, so go easy on them during a heatwave."
                    ),
                    (
                        "Keep an eye on the colour of your urine, which should be "
                        "pale. Feeling dizzy or developing a headache can be early "
                        "signs that you need to drink and cool down."
                    ),
                ],
            },
            {
                "heading": "Sleeping in the heat",
                "paragraphs": [
                    (
                        "Hot nights make sleep difficult. Keeping bedroom curtains "
                        "closed during the day, using a fan and choosing light cotton "
                        "bedding can help."
                    ),
                    (
                        "A lukewarm shower before bed can be more effective than a "
                        "cold one, as it helps the body lose heat gradually. Keeping a "
                        "glass of water by the bed is also a good idea."
                    ),
                ],
            },
        ],
        "quote": {
            "text": (
                "In a heatwave, a quick phone call to an older neighbour can make a "
                "real difference."
            ),
            "attribution": "A community nurse",
        },
        "conclusion": (
            "Most people can enjoy warm weather safely with some planning. Seek "
            "medical help if someone shows signs of heat exhaustion that do not "
            "improve within 30 minutes of cooling down, and call emergency services "
            "for symptoms of heatstroke, such as confusion, fainting or a very high "
            "temperature."
        ),
        "related": ["hydration-how-much-water", "evening-exercise-and-sleep"],
    },
    {
        "slug": "omega-3-and-heart",
        "title": "Oily Fish, Omega-3 and Heart Health",
        "intro": (
            "Oily fish is often recommended for heart health. Here is what omega-3 "
            "fats are, where to find them and what to know about capsules."
        ),
        "author": "imogen-rowley",
        "categories": ["nutrition", "heart-health"],
        "tags": ["omega-3", "heart", "fish", "healthy-eating"],
        "days_ago": 70,
        "sections": [
            {
                "heading": "What omega-3 fats are",
                "paragraphs": [
                    (
                        "Omega-3 fats are a family of unsaturated fats that the body "
                        "needs but cannot make in large amounts. The long-chain forms "
                        "are found mainly in oily fish such as salmon, mackerel, "
                        "sardines and trout."
                    ),
                    (
                        "Plant foods such as walnuts, flaxseed and rapeseed oil "
                        "contain a shorter form, which the body converts only in small "
                        "amounts to the long-chain types."
                    ),
                ],
            },
            {
                "heading": "Links with heart health",
                "paragraphs": [
                    (
                        "Diets that include oily fish are associated with a lower risk "
                        "of heart disease in many studies. Oily fish also replaces "
                        "other protein sources that may be higher in saturated fat."
                    ),
                    (
                        "Results from trials of fish oil capsules have been more "
                        "mixed. They may help some people under medical supervision, "
                        "but they are not a substitute for an overall healthy diet."
                    ),
                    (
                        "Researchers continue to study who is most likely to benefit "
                        "from supplements, and guidance may change as new results "
                        "emerge."
                    ),
                ],
            },
            {
                "heading": "Practical advice",
                "paragraphs": [
                    (
                        "Many guidelines suggest eating at least one portion of oily "
                        "fish a week as part of two portions of fish overall. Tinned "
                        "sardines and mackerel are affordable and convenient options."
                    ),
                    (
                        "There are limits for some groups, such as pregnant women, "
                        "because certain fish can contain pollutants. Check current "
                        "advice if this applies to you."
                    ),
                ],
            },
            {
                "heading": "Vegetarian and vegan options",
                "paragraphs": [
                    (
                        "People who do not eat fish can get shorter-chain omega-3 fats "
                        "from walnuts, flaxseed, chia seeds and rapeseed oil. These "
                        "are worthwhile foods, though the body converts only a little "
                        "into the longer-chain types."
                    ),
                    (
                        "Algae-based supplements provide long-chain omega-3 without "
                        "fish. If you are considering one, a dietitian or pharmacist "
                        "can help you choose a suitable product."
                    ),
                ],
            },
        ],
        "list": [
            "Aim for one portion of oily fish a week",
            "Try tinned sardines or mackerel on toast",
            "Add walnuts or ground flaxseed to meals",
            "Check pregnancy guidance on fish limits",
        ],
        "conclusion": (
            "Eating oily fish regularly is a sensible part of a heart-friendly diet. "
            "If you are considering fish oil supplements, especially if you take "
            "blood-thinning medication or have a heart condition, talk to your doctor "
            "or pharmacist first."
        ),
        "related": [
            "cholesterol-numbers",
            "vitamin-d-in-winter",
            "salt-and-blood-pressure",
        ],
    },
    {
        "slug": "shift-work-sleep",
        "title": "Sleeping Well on Shift Work",
        "intro": (
            "Working nights or rotating shifts puts the body clock under strain. A few "
            "targeted strategies can help you get more restorative sleep."
        ),
        "author": "callum-whitfield",
        "categories": ["sleep"],
        "tags": ["shift-work", "sleep", "body-clock", "naps"],
        "days_ago": 76,
        "sections": [
            {
                "heading": "Why shift work is hard on sleep",
                "paragraphs": [
                    (
                        "The body clock is set mainly by light and is designed to keep "
                        "us awake in the day and asleep at night. Working through the "
                        "night and sleeping during the day goes against this natural "
                        "rhythm."
                    ),
                    (
                        "Daytime sleep is often shorter and lighter, partly because of "
                        "light, noise and household activity. Over time this can lead "
                        "to a build-up of sleep debt."
                    ),
                    (
                        "Rotating shifts that change frequently can be particularly "
                        "disruptive, as the body clock never has time to adjust."
                    ),
                ],
            },
            {
                "heading": "Protecting daytime sleep",
                "paragraphs": [
                    (
                        "Make your bedroom as dark and quiet as possible, using "
                        "blackout blinds, an eye mask and earplugs if needed. Let "
                        "family and friends know when you are sleeping and silence "
                        "your phone."
                    ),
                    (
                        "Wearing sunglasses on the way home after a night shift may "
                        "help reduce the alerting effect of morning light."
                    ),
                ],
            },
            {
                "heading": "Managing alertness at work",
                "paragraphs": [
                    (
                        "A short nap before a night shift can improve alertness. "
                        "Caffeine can help early in the shift but is best avoided in "
                        "the last few hours to protect sleep afterwards."
                    ),
                    (
                        "Bright light during the first part of a night shift may help "
                        "you stay alert, while dimmer light towards the end can ease "
                        "the transition to sleep."
                    ),
                ],
            },
            {
                "heading": "Days off and wider wellbeing",
                "paragraphs": [
                    (
                        "On days off, many shift workers switch back to a daytime "
                        "routine to see family and friends. Some find that a "
                        "compromise schedule, sleeping a little later than usual, "
                        "makes the switch less jarring."
                    ),
                    (
                        "Eating regular, balanced meals and avoiding heavy food in the "
                        "middle of the night may help with digestion. Staying active "
                        "and making time for social contact support overall wellbeing "
                        "too."
                    ),
                ],
            },
        ],
        "quote": {
            "text": (
                "Shift workers are not bad sleepers. They are asking their body clock "
                "to do something it was never designed for."
            ),
            "attribution": "A sleep researcher",
        },
        "conclusion": (
            "Shift work will always be a challenge for sleep, but planning can make a "
            "real difference. If you regularly struggle to stay awake at work or while "
            "driving, or your sleep problems are affecting your health, talk to your "
            "doctor or occupational health team."
        ),
        "related": ["naps-good-or-bad", "wind-down-routine", "caffeine-curfew"],
    },
]

DRAFT_ARTICLE: dict = {
    "slug": "protein-how-much-do-you-need",
    "title": "Protein: How Much Do You Really Need?",
    "intro": (
        "Protein shakes and high-protein snacks are everywhere. Most people already "
        "eat enough, but some groups may benefit from paying closer attention."
    ),
    "author": "imogen-rowley",
    "categories": ["nutrition", "fitness"],
    "tags": ["protein", "healthy-eating", "muscles", "diet"],
    "days_ago": 1,
    "sections": [
        {
            "heading": "What protein does",
            "paragraphs": [
                (
                    "Protein provides the building blocks the body uses to repair "
                    "tissues, make enzymes and maintain muscle. It is found in meat, "
                    "fish, eggs, dairy, beans, lentils, tofu, nuts and seeds."
                ),
                (
                    "Unlike fat, the body does not store large amounts of spare "
                    "protein, so a regular intake across the day is helpful."
                ),
                (
                    "Protein also helps with feeling satisfied after a meal, which is "
                    "one reason it features in many weight-management plans."
                ),
            ],
        },
        {
            "heading": "How much is enough",
            "paragraphs": [
                (
                    "General guidance for adults is based on body weight, and most "
                    "people in wealthier countries eat more than the minimum "
                    "recommended amount without trying. Needs can be higher during "
                    "pregnancy, illness recovery and older age."
                ),
                (
                    "People who are very active or trying to build muscle may benefit "
                    "from a little more, but this can usually be achieved with "
                    "ordinary food."
                ),
                (
                    "Older adults may need to pay particular attention, as appetite "
                    "often decreases with age and muscle loss becomes more of a "
                    "concern."
                ),
            ],
        },
        {
            "heading": "Spreading it through the day",
            "paragraphs": [
                (
                    "Including a source of protein at each meal may help with feeling "
                    "full and supports muscle maintenance, particularly in older "
                    "adults. Eggs at breakfast, beans at lunch and fish at dinner is "
                    "one simple pattern."
                ),
                (
                    "Processed protein bars and shakes can be convenient, but they are "
                    "often expensive and may contain added sugar."
                ),
            ],
        },
        {
            "heading": "Protein on a budget",
            "paragraphs": [
                (
                    "Eggs, tinned fish, beans, lentils, frozen peas, peanut butter and "
                    "milk are all affordable sources of protein. Buying dried pulses "
                    "and cooking them in batches is cheaper still."
                ),
                (
                    "Plant proteins also bring fibre and other nutrients, so mixing "
                    "them into meat dishes, such as adding lentils to a mince sauce, "
                    "can stretch a budget and improve balance."
                ),
            ],
        },
    ],
    "list": [
        "Include protein at each meal",
        "Mix plant and animal sources",
        "Check labels on protein bars for sugar",
        "Ask about needs during illness or pregnancy",
    ],
    "conclusion": (
        "Most people can meet their protein needs through a balanced diet. If you have "
        "kidney disease, are recovering from illness or are unsure about your needs, "
        "speak to your doctor or a registered dietitian."
    ),
    "related": ["strength-training-after-50", "breakfast-and-energy"],
}

SCHEDULED_ARTICLE: dict = {
    "slug": "winter-daylight-and-mood",
    "title": "Winter Daylight and Mood: Making the Most of Short Days",
    "intro": (
        "Shorter days can leave many people feeling flat and sluggish. Getting outside "
        "in the morning light is a simple habit that may help."
    ),
    "author": "callum-whitfield",
    "categories": ["mental-health", "sleep"],
    "tags": ["daylight", "mood", "winter", "body-clock"],
    "days_ago": 1,
    "sections": [
        {
            "heading": "Why daylight matters",
            "paragraphs": [
                (
                    "Daylight is the main signal that keeps the body clock in step "
                    "with the 24-hour day. In winter, late sunrises and early sunsets "
                    "mean we get far less of it, particularly if we work indoors."
                ),
                (
                    "Many people notice lower energy, changes in appetite or a dip in "
                    "mood during the darker months. For some, these changes are more "
                    "severe and follow a clear seasonal pattern."
                ),
            ],
        },
        {
            "heading": "Getting more light",
            "paragraphs": [
                (
                    "Even on a cloudy winter day, outdoor light is much brighter than "
                    "typical indoor lighting. A walk in the morning or at lunchtime "
                    "can be a helpful boost."
                ),
                (
                    "Sitting near a window while working and keeping curtains open "
                    "during the day also help. Some people use light boxes, ideally "
                    "after discussing them with a health professional."
                ),
            ],
        },
        {
            "heading": "Looking after yourself",
            "paragraphs": [
                (
                    "Keeping a regular sleep schedule, staying active and seeing "
                    "friends can all support mood through the winter. It can help to "
                    "plan enjoyable activities in advance, rather than waiting to feel "
                    "like doing them."
                ),
                (
                    "Be kind to yourself if energy is lower. Small, steady habits are "
                    "more realistic than a complete overhaul."
                ),
                (
                    "Try to keep in touch with friends and family, even if it is only "
                    "by phone when the weather is poor."
                ),
            ],
        },
        {
            "heading": "When to seek help",
            "paragraphs": [
                (
                    "Seasonal affective disorder is a recognised form of depression "
                    "that follows a seasonal pattern, usually starting in autumn. "
                    "Symptoms can include persistent low mood, sleeping much more than "
                    "usual, craving carbohydrates and losing interest in everyday "
                    "activities."
                ),
                (
                    "It is treatable, and options may include talking therapies, light "
                    "therapy and, in some cases, medication. A GP can help work out "
                    "what is going on and what might help."
                ),
            ],
        },
    ],
    "quote": {
        "text": (
            "A short walk before ten in the morning is one of the simplest things you "
            "can do for your body clock in winter."
        ),
        "attribution": "A sleep researcher",
    },
    "conclusion": (
        "Seasonal dips in mood and energy are common, but they should not be ignored "
        "if they are affecting daily life. If low mood persists for more than a couple "
        "of weeks, or you have thoughts of harming yourself, speak to your GP or "
        "contact a crisis service straight away."
    ),
    "related": ["vitamin-d-in-winter", "wind-down-routine", "loneliness-and-health"],
}

EXPIRED_ARTICLE: dict = {
    "slug": "summer-step-challenge",
    "title": "Join Our Summer Step Challenge",
    "intro": (
        "This summer we invited readers to add a few more steps to each day. Here is "
        "how the challenge worked and how to take part safely."
    ),
    "author": "anjali-mehra",
    "categories": ["news-and-blogs", "fitness"],
    "tags": ["walking", "exercise", "community", "summer"],
    "days_ago": 120,
    "sections": [
        {
            "heading": "How the challenge works",
            "paragraphs": [
                (
                    "The idea is simple: track your usual daily steps for one week, "
                    "then aim to add around 1,000 steps a day over the following "
                    "month. There are no prizes and no leaderboards, just a gentle "
                    "nudge to move a little more."
                ),
                (
                    "You can use a phone, a basic pedometer or simply add an extra "
                    "ten-minute walk each day if you prefer not to count."
                ),
                (
                    "If you use a wheelchair or have limited mobility, you are welcome "
                    "to adapt the challenge, for example by counting active minutes "
                    "instead."
                ),
            ],
        },
        {
            "heading": "Staying safe in the heat",
            "paragraphs": [
                (
                    "Summer walking is enjoyable, but hot days call for care. Walk in "
                    "the early morning or evening, carry water and wear a hat and sun "
                    "cream."
                ),
                (
                    "If you have a heart or lung condition, or have been inactive for "
                    "a long time, check with your doctor before increasing your "
                    "activity."
                ),
            ],
        },
        {
            "heading": "Making it stick",
            "paragraphs": [
                (
                    "Walking with friends, family or a local group can keep motivation "
                    "high. Varying your routes helps keep things interesting."
                ),
                (
                    "When the challenge ends, try to keep the habit going, even if the "
                    "number of steps varies from day to day."
                ),
                (
                    "Many participants told us that sharing small wins with friends "
                    "kept them going, even on grey days."
                ),
            ],
        },
        {
            "heading": "Why count steps?",
            "paragraphs": [
                (
                    "Step counts are an easy way to see how active you are, and small "
                    "increases are achievable for most people. The often-quoted target "
                    "of 10,000 steps is a convenient round number rather than a strict "
                    "medical threshold."
                ),
                (
                    "Research suggests that moving more than you currently do brings "
                    "benefits, especially if you are starting from a low level. Going "
                    "from very little activity to a little more seems to matter most."
                ),
            ],
        },
    ],
    "list": [
        "Record your usual steps for a week",
        "Add around 1,000 steps a day",
        "Walk in cooler parts of the day",
        "Invite a friend to join you",
    ],
    "conclusion": (
        "The summer step challenge has now closed, but the habits it encouraged are "
        "worth keeping all year round. Thank you to everyone who took part and shared "
        "their progress with us."
    ),
    "related": ["walking-for-heart-health", "heat-and-hydration"],
}


if __name__ == "__main__":
    import re

    all_articles = [*ARTICLES, DRAFT_ARTICLE, SCHEDULED_ARTICLE, EXPIRED_ARTICLE]
    author_slugs = {a["slug"] for a in AUTHORS}
    category_slugs = {c["slug"] for c in CATEGORIES}
    live_slugs = {a["slug"] for a in ARTICLES}
    all_slugs = [a["slug"] for a in all_articles]

    assert len(AUTHORS) == 3, len(AUTHORS)
    assert len(CATEGORIES) == 6, len(CATEGORIES)
    assert len(ARTICLES) == 30, len(ARTICLES)
    assert len(author_slugs) == 3
    assert len(category_slugs) == 6
    assert {"slug": "news-and-blogs", "name": "News and Blogs"}.items() <= next(
        c for c in CATEGORIES if c["slug"] == "news-and-blogs"
    ).items()
    assert len(set(all_slugs)) == len(all_slugs) == 33, "duplicate article slugs"

    slug_re = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    total_words = 0
    for art in all_articles:
        slug = art["slug"]
        assert slug_re.match(slug), slug
        assert len(art["intro"]) <= 280, (slug, len(art["intro"]))
        assert art["author"] in author_slugs, (slug, art["author"])
        assert 1 <= len(art["categories"]) <= 3, slug
        assert set(art["categories"]) <= category_slugs, (slug, art["categories"])
        assert len(set(art["categories"])) == len(art["categories"]), slug
        assert 2 <= len(art["tags"]) <= 5, slug
        assert all(t == t.lower() for t in art["tags"]), slug
        assert isinstance(art["days_ago"], int), slug
        assert 1 <= art["days_ago"] <= 120, slug
        assert 3 <= len(art["sections"]) <= 4, slug
        for section in art["sections"]:
            assert section["heading"], slug
            assert 2 <= len(section["paragraphs"]) <= 3, (slug, section["heading"])
        if "list" in art:
            assert 3 <= len(art["list"]) <= 6, slug
        if "quote" in art:
            assert art["quote"]["text"] and art["quote"]["attribution"], slug
        related = art["related"]
        assert len(related) <= 3, slug
        assert slug not in related, f"{slug} relates to itself"
        assert len(set(related)) == len(related), f"{slug} has duplicate related"
        assert set(related) <= live_slugs, (slug, set(related) - live_slugs)
        words = [art["title"], art["intro"], art["conclusion"]]
        for section in art["sections"]:
            words += [section["heading"], *section["paragraphs"]]
        words += art.get("list", [])
        if "quote" in art:
            words.append(art["quote"]["text"])
        total_words += len(" ".join(words).split())

    magnesium_titles = [a for a in ARTICLES if "magnesium" in a["title"].lower()]
    assert len(magnesium_titles) >= 3

    print(
        f"OK: {len(AUTHORS)} authors, {len(CATEGORIES)} categories, "
        f"{len(ARTICLES)} live articles + 3 extra, {total_words} words in total"
    )
