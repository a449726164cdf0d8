"""Name and place lists of the synthetic people (bench/people_synth.py): common given names
and surnames (no real person: they are combined at random with invented addresses and
dates), invented street words, generic towns, postcode areas, and sound-alike spellings."""

from __future__ import annotations


def _words(text: str) -> list[str]:
    return text.split()


# Common given names and surnames, weighted by rank (Zipf) when drawn: frequent names repeat
# as they do in a force's index. Accented and non-English names are written as their
# owners write them.
SURNAMES = _words(
    """Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts
Robinson Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel
Jackson Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison
Morgan Allen James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths
Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox
Richards Khan Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman
Powell Webb Rogers Gray Mason Ali Hunt Hussain Campbell Matthews Owen Palmer Holmes
Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins Murray Dixon
Harvey Graham Pearson Ahmed Fletcher Walsh Kaur Gibson Howard Andrews Stewart Elliott
Reynolds Saunders Payne Fox Ford Pearce Day Brooks West Lawrence Cole Atkinson Bradley
Spencer Gill Dawson Ball Burton O'Brien Watts Rose Booth Perry Ryan Grant Wells Armstrong
Francis Rees Hayes Hart Hudson Newman Barrett Webster Hunter Gregory Carr Lowe Page
Marsh Riley Dunn Woods Parsons Berry Stone Reid Holland Hawkins Harding Porter Robertson
Newton Oliver Reed Kennedy Williamson Bird Gardner Shah Dean Lane Cooke Bates Henderson
Parry Burgess Bishop Walton Burns Nicholson Shepherd Ross Cross Long Freeman Warren
Nicholls Hamilton Byrne Sutton McDonald Yates Hodgson Robson Curtis Hopkins O'Connor
Harper Coleman Watkins Moss McCarthy Chambers O'Neill Griffin Sharp Hardy Wheeler
Potter Osborne Johnston Gordon Doyle Wallace George Jordan Hutchinson Rowe Burke May
Pritchard Gilbert Willis Higgins Read Miles Stevenson Stephenson Hammond Arnold Buckley
Walters Hewitt Barber Nelson Slater Austin Sullivan Whitehead Mann Frost Lambert Stephens
Blake Akhtar Lynch Goodwin Barton Woodward Thomson Cunningham Quinn Barnett Baxter Bibi
Clayton Nash Greenwood Jennings Holt Kemp Poole Gallagher Bond Stokes Tucker Davidson
Fowler Heath Norman Middleton Lawson Banks French Stanley Jarvis Gibbs Ferguson Hayward
Carroll Douglas Hicks Kowalski Nowak Wiśniewski Wójcik Kowalczyk Lewandowski Dąbrowski
Zieliński Szymański Woźniak Mohammed Rahman Chowdhury Uddin Iqbal Mahmood Hassan Okafor
Adeyemi Mensah Osei Nguyen Chen Wang Kaya Yılmaz Ó'Sullivan MacLeod Llewellyn Ap-Rhys
Okonkwo-Bright Harris-Jones Lloyd-Webber Fitzgerald-Hart Bowes-Lyon Smith-Cooper
Ward-Prowse Taylor-Johnson Davies-Evans Patel-Shah Garcia López Fernández Müller
Schäfer Brontë Dvořák Jørgensen"""
)

MALE = _words(
    """Oliver George Harry Jack Jacob Noah Charlie Muhammad Thomas Oscar William James
Henry Leo Alfie Joshua Freddie Archie Ethan Isaac Alexander Joseph Edward Samuel Max
Daniel Arthur Lucas Mohammed Logan Theo Harrison Benjamin Mason Sebastian Finley Adam
Dylan Zachary Riley Teddy Theodore David Toby Jake Louie Elijah Reuben Arlo Hugo Luca
Jaxon Matthew Harvey Reggie Michael Harley Jude Albert Tommy Luke Stanley Jenson Frankie
Jayden Gabriel Elliot Mohammad Ronnie Charles Louis Elliott Frederick Nathan Lewis Blake
Rory Ollie Ryan Tyler Jackson Dexter Ralph Caleb Jasper Robert John Paul Mark Andrew
Richard Christopher Stephen Peter Anthony Kevin Gary Ian Neil Simon Martin Lee Craig
Darren Wayne Dean Carl Graham Keith Brian Alan Colin Nigel Trevor Barry Philip Kenneth
Raymond Gareth Rhys Dafydd Owain Siôn Łukasz Piotr Krzysztof Tomasz Paweł Michał Jakub
Wojciech Ahmed Ali Hassan Imran Tariq Sanjay Rajesh Amit Kwame Chidi Oluwaseun Tiago
José Raúl Jürgen Søren"""
)

FEMALE = _words(
    """Olivia Amelia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Willow Freya
Florence Emily Ella Poppy Evie Elsie Charlotte Evelyn Sienna Sofia Daisy Phoebe Sophie
Alice Harper Matilda Ruby Emilia Maya Isabelle Millie Eva Luna Jessica Harriet Esme
Arabella Chloe Bonnie Maisie Imogen Mila Thea Margaret Mary Elizabeth Catherine Sarah
Emma Rebecca Laura Rachel Claire Lisa Nicola Joanne Karen Susan Helen Julie Tracey
Michelle Amanda Donna Deborah Angela Jennifer Victoria Samantha Hannah Lucy Katie
Jennifer Patricia Dorothy Barbara Jean Valerie Pamela Christine Gillian Janet Carol
Sandra Wendy Linda Pauline Maureen Siân Zoë Chloë Niamh Aoife Siobhán Ffion Carys Cerys
Małgorzata Agnieszka Katarzyna Zofia Anna Aleksandra Fatima Aisha Ayesha Priya Anjali
Sunita Nkechi Adaeze Ama Renée Inés María Björk Margarida"""
)

TOWNS = (
    "Leeds",
    "Bradford",
    "Hull",
    "York",
    "Sheffield",
    "Manchester",
    "Salford",
    "Bolton",
    "Liverpool",
    "Birkenhead",
    "Birmingham",
    "Coventry",
    "Cardiff",
    "Swansea",
    "Bristol",
    "Plymouth",
    "Exeter",
    "Norwich",
    "Ipswich",
    "Nottingham",
    "Derby",
    "Leicester",
    "Newcastle",
    "Sunderland",
    "London",
    "Croydon",
    "Reading",
    "Oxford",
    "Cambridge",
    "Brighton",
    "Southampton",
    "Portsmouth",
    "Middlesbrough",
    "Preston",
    "Blackpool",
)
OUTWARD_AREAS = (
    "LS",
    "BD",
    "HU",
    "YO",
    "S",
    "M",
    "BL",
    "L",
    "CH",
    "B",
    "CV",
    "CF",
    "SA",
    "BS",
    "PL",
    "EX",
    "NR",
    "IP",
    "NG",
    "DE",
    "LE",
    "NE",
    "SR",
    "SE",
    "CR",
    "RG",
    "OX",
    "CB",
    "BN",
    "SO",
    "PO",
    "TS",
    "PR",
    "FY",
    "N",
    "E",
    "W",
)
STREET_WORDS = (
    "Mill",
    "Church",
    "Station",
    "Victoria",
    "Albert",
    "Park",
    "Queen's",
    "King's",
    "Chapel",
    "Castle",
    "Copperkettle",
    "Lamplighter",
    "Weaver's",
    "Quayside",
    "Orchard",
    "Meadow",
    "Willow",
    "Hawthorn",
    "Foundry",
    "Tannery",
    "Brewery",
    "Canal",
    "Ropewalk",
    "Cooper's",
    "Saddler's",
    "Glassworks",
    "Market",
    "Bridge",
    "Dock",
    "Tithe",
    "Beacon",
    "Heron",
    "Kestrel",
    "Linnet",
)
STREET_KINDS = (
    "Street",
    "Road",
    "Lane",
    "Avenue",
    "Close",
    "Grove",
    "Terrace",
    "Way",
    "Crescent",
    "Row",
    "Yard",
    "Walk",
    "Gardens",
    "Place",
)
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

# Spellings that sound alike, as staff write what they hear.
SOUND_ALIKE = [
    ("Smith", "Smyth"),
    ("Thompson", "Thomson", "Tomson"),
    ("Phillips", "Philips"),
    ("Reid", "Reed", "Read"),
    ("Clarke", "Clark"),
    ("Mohammed", "Muhammad", "Mohamed"),
    ("Muhammad", "Mohammed", "Mohamad"),
    ("Mohammad", "Muhammad"),
    ("McDonald", "MacDonald"),
    ("Stevens", "Stephens"),
    ("Stevenson", "Stephenson"),
    ("Johnston", "Johnstone"),
    ("Gray", "Grey"),
    ("Matthews", "Mathews"),
    ("Hussain", "Hussein", "Husain"),
    ("Ahmed", "Ahmad"),
    ("Rahman", "Rehman"),
    ("Catherine", "Kathryn", "Katherine"),
    ("Stephen", "Steven"),
    ("Claire", "Clare"),
    ("Rachel", "Rachael"),
    ("Sarah", "Sara"),
    ("Philip", "Phillip"),
    ("Jayden", "Jaden"),
    ("Isabelle", "Isobel"),
    ("Sophie", "Sofie"),
    ("Lewis", "Louis"),
    ("Shaw", "Shore"),
    ("Byrne", "Burn"),
    ("Walsh", "Welsh"),
    ("Khan", "Kahn"),
    ("Begum", "Begam"),
    ("Kelly", "Kelley"),
    ("Allen", "Allan", "Alan"),
    ("Brian", "Bryan"),
    ("Neil", "Neal"),
    ("Carl", "Karl"),
    ("Mark", "Marc"),
    ("Geoffrey", "Jeffrey"),
    ("Elliot", "Elliott"),
    ("Freya", "Freja"),
    ("Zoë", "Zoey"),
    ("Siân", "Sharn"),
    ("Niamh", "Neve"),
    ("Aoife", "Eefa"),
    ("Harvey", "Harvie"),
    ("Chloe", "Khloe"),
    ("Evie", "Evey"),
    ("Kaur", "Kour"),
    ("Chowdhury", "Choudhury"),
]
