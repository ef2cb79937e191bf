"""Static value pools the generator draws from (US home-improvement CRM flavour)."""

import numpy as np

FIRST_NAMES = (
    "James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara Richard Susan "
    "Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy Matthew Betty Anthony Margaret "
    "Mark Sandra Donald Ashley Steven Kimberly Paul Emily Andrew Donna Joshua Michelle Kenneth Carol Kevin "
    "Amanda Brian Dorothy George Melissa Timothy Deborah Ronald Stephanie Edward Rebecca Jason Sharon Jeffrey "
    "Laura Ryan Cynthia Jacob Kathleen Gary Amy Nicholas Angela Eric Shirley Jonathan Anna Stephen Brenda "
    "Larry Pamela Justin Emma Scott Nicole Brandon Helen Benjamin Samantha Samuel Katherine Gregory Christine "
    "Alexander Debra Frank Rachel Patrick Carolyn Raymond Janet Jack Catherine Dennis Maria Jerry Heather "
    "Tyler Diane Aaron Ruth Jose Julie Adam Olivia Nathan Joyce Henry Virginia Douglas Victoria Zachary Kelly "
    "Peter Lauren Kyle Christina Noah Joan Ethan Evelyn Jeremy Judith Walter Megan Christian Andrea Keith "
    "Cheryl Roger Hannah Terry Jacqueline Austin Martha Sean Gloria Gerald Teresa Carl Ann Harold Sara Dylan "
    "Madison Arthur Frances Lawrence Kathryn Jordan Janice Jesse Jean Bryan Abigail Billy Alice Bruce Judy "
    "Gabriel Sophia Joe Grace Logan Denise Alan Amber Juan Doris Albert Marilyn Willie Danielle Elijah Beverly "
    "Wayne Isabella Randy Theresa Vincent Diana Mason Natalie Roy Brittany Ralph Charlotte Bobby Marie Russell "
    "Kayla Bradley Alexis Philip Lori Eugene"
).split()

LAST_NAMES = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson "
    "Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis "
    "Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall "
    "Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins "
    "Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly "
    "Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes "
    "Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan "
    "Bell Coleman Butler Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson Alexander "
    "Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes Bryant Herrera Gibson Ellis Tran Medina "
    "Aguilar Stevens Murray Ford Castro Marshall Owens Harrison Fernandez McDonald Woods Washington Kennedy "
    "Wells Vargas Henry Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson Porter Hunter Gordon "
    "Mendez Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose "
    "Stone Salazar Fox Warren Mills Meyer Rice Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver "
    "Ryan Gardner Payne Grant Dunn Kelley Spencer Hawkins Arnold Pierce Vazquez Hansen Peters O'Brien"
).split()

EMAIL_DOMAINS = (
    "gmail.com gmail.com gmail.com yahoo.com yahoo.com hotmail.com outlook.com aol.com icloud.com "
    "comcast.net att.net verizon.net sbcglobal.net msn.com live.com bellsouth.net charter.net cox.net"
).split()

# (city, state, zip prefix) — zip codes are made from the prefix so city/state/zip agree.
CITIES = [
    ("Atlanta", "GA", "303"), ("Marietta", "GA", "300"), ("Savannah", "GA", "314"), ("Dallas", "TX", "752"),
    ("Houston", "TX", "770"), ("Austin", "TX", "787"), ("San Antonio", "TX", "782"), ("Fort Worth", "TX", "761"),
    ("Phoenix", "AZ", "850"), ("Tucson", "AZ", "857"), ("Mesa", "AZ", "852"), ("Denver", "CO", "802"),
    ("Aurora", "CO", "800"), ("Charlotte", "NC", "282"), ("Raleigh", "NC", "276"), ("Durham", "NC", "277"),
    ("Nashville", "TN", "372"), ("Memphis", "TN", "381"), ("Knoxville", "TN", "379"), ("Orlando", "FL", "328"),
    ("Tampa", "FL", "336"), ("Jacksonville", "FL", "322"), ("Miami", "FL", "331"), ("Columbus", "OH", "432"),
    ("Cleveland", "OH", "441"), ("Cincinnati", "OH", "452"), ("Indianapolis", "IN", "462"),
    ("Chicago", "IL", "606"), ("Naperville", "IL", "605"), ("Detroit", "MI", "482"), ("Grand Rapids", "MI", "495"),
    ("Minneapolis", "MN", "554"), ("St. Louis", "MO", "631"), ("Kansas City", "MO", "641"),
    ("Philadelphia", "PA", "191"), ("Pittsburgh", "PA", "152"), ("Baltimore", "MD", "212"),
    ("Richmond", "VA", "232"), ("Virginia Beach", "VA", "234"), ("Boston", "MA", "021"), ("Worcester", "MA", "016"),
    ("Hartford", "CT", "061"), ("Newark", "NJ", "071"), ("Las Vegas", "NV", "891"), ("Salt Lake City", "UT", "841"),
    ("Boise", "ID", "837"), ("Seattle", "WA", "981"), ("Spokane", "WA", "992"), ("Portland", "OR", "972"),
    ("Sacramento", "CA", "958"), ("San Diego", "CA", "921"), ("Fresno", "CA", "937"), ("Birmingham", "AL", "352"),
    ("Louisville", "KY", "402"), ("Oklahoma City", "OK", "731"), ("Omaha", "NE", "681"), ("Albuquerque", "NM", "871"),
    ("Charleston", "SC", "294"), ("Columbia", "SC", "292"), ("Milwaukee", "WI", "532"),
]
CITY_NAMES = np.array([c[0] for c in CITIES], dtype=object)
CITY_STATES = np.array([c[1] for c in CITIES], dtype=object)
CITY_ZIP3 = np.array([c[2] for c in CITIES], dtype=object)

STREET_NAMES = (
    "Main Oak Pine Maple Cedar Elm Washington Lake Hill Park Walnut Sunset Lincoln Jackson Church River "
    "Highland Forest Jefferson Meadow Willow Madison Spring Ridge Dogwood Magnolia Peachtree Mill Chestnut "
    "Franklin Hickory Laurel Valley Cherry Lakeview Center Holly Birch Adams Heritage"
).split()
STREET_SUFFIXES = "St Ave Rd Dr Ln Ct Blvd Way Pl Cir Trl Pkwy".split()

# Real US area codes (first digit 2-9) so a client's phone validation has something plausible to accept.
AREA_CODES = [
    201, 202, 203, 205, 206, 207, 208, 210, 212, 213, 214, 215, 216, 217, 224, 225, 228, 229, 231, 234, 239,
    240, 248, 251, 252, 253, 254, 256, 260, 262, 267, 269, 270, 281, 301, 302, 303, 304, 305, 307, 308, 309,
    310, 312, 313, 314, 315, 316, 317, 318, 319, 320, 321, 323, 330, 334, 336, 337, 347, 352, 360, 361, 385,
    401, 402, 404, 405, 406, 407, 408, 409, 410, 412, 413, 414, 415, 417, 419, 423, 425, 432, 434, 435, 440,
    443, 469, 470, 478, 479, 480, 502, 503, 504, 505, 507, 508, 509, 510, 512, 513, 515, 516, 517, 518, 520,
    530, 540, 541, 551, 559, 561, 562, 563, 570, 571, 573, 574, 580, 585, 586, 601, 602, 603, 605, 606, 607,
    608, 609, 610, 612, 614, 615, 616, 617, 618, 619, 620, 623, 626, 630, 631, 636, 641, 646, 650, 651, 660,
    661, 662, 678, 682, 701, 702, 703, 704, 706, 707, 708, 712, 713, 714, 715, 716, 717, 718, 719, 720, 724,
    727, 731, 732, 734, 740, 754, 757, 760, 763, 765, 770, 772, 773, 774, 775, 781, 785, 786, 801, 802, 803,
    804, 805, 806, 808, 810, 812, 813, 814, 815, 816, 817, 818, 828, 830, 831, 832, 843, 845, 847, 850, 856,
    857, 858, 859, 860, 862, 863, 864, 865, 870, 901, 903, 904, 906, 907, 908, 909, 910, 912, 913, 914, 915,
    916, 917, 918, 919, 920, 925, 928, 931, 936, 937, 940, 941, 945, 949, 951, 952, 954, 956, 970, 971, 972,
    973, 978, 979, 980, 984, 985,
]
PHONE_PLACEHOLDERS = ["N/A", "(No value)", "."]
BAD_PHONES = ["12345", "555-CALL-NOW", "000", "call me", "1234567"]

DIVISIONS = [
    ("Atlanta", "ATL", "Southeast"), ("Dallas", "DAL", "South Central"), ("Houston", "HOU", "South Central"),
    ("Austin", "AUS", "South Central"), ("Phoenix", "PHX", "Southwest"), ("Denver", "DEN", "Mountain"),
    ("Charlotte", "CLT", "Southeast"), ("Raleigh", "RDU", "Southeast"), ("Nashville", "BNA", "Southeast"),
    ("Orlando", "ORL", "Florida"), ("Tampa", "TPA", "Florida"), ("Jacksonville", "JAX", "Florida"),
    ("Columbus", "CMH", "Midwest"), ("Indianapolis", "IND", "Midwest"), ("Chicago", "CHI", "Midwest"),
    ("Detroit", "DTW", "Midwest"), ("St. Louis", "STL", "Midwest"), ("Kansas City", "MCI", "Midwest"),
    ("Philadelphia", "PHL", "Northeast"), ("Baltimore", "BWI", "Mid-Atlantic"), ("Richmond", "RIC", "Mid-Atlantic"),
    ("Boston", "BOS", "Northeast"), ("Las Vegas", "LAS", "Southwest"), ("Salt Lake City", "SLC", "Mountain"),
    ("Seattle", "SEA", "Northwest"), ("Portland", "PDX", "Northwest"), ("San Diego", "SAN", "West"),
    ("Birmingham", "BHM", "Southeast"), ("Louisville", "SDF", "Midwest"), ("Oklahoma City", "OKC", "South Central"),
]

COMPANY_WORDS = (
    "Summit Pioneer Liberty Evergreen Keystone Horizon Heritage Cornerstone Premier Apex Blue Ridge Lakeside "
    "Northstar Granite Ironwood Silverline Golden Oak Redwood Harbor Capital Frontier Beacon Crestview"
).split()
COMPANY_SUFFIXES = ["Roofing", "Home Services", "Windows & Doors", "Remodeling", "Construction", "Siding",
                    "Exteriors", "Builders", "Solar", "Bath & Kitchen", "Gutters", "Contractors"]
COMPANY_FORMS = ["LLC", "Inc.", "Co.", "Group", "", ""]
INDUSTRIES = ["CONSTRUCTION", "BUILDING_MATERIALS", "REAL_ESTATE", "CONSUMER_SERVICES", "RENEWABLES_ENVIRONMENT",
              "ARCHITECTURE_PLANNING", "FINANCIAL_SERVICES", "RETAIL"]
PRODUCTS = ["Roof Replacement", "Window Package", "Siding Job", "Bath Remodel", "Gutter Guards", "Solar Install",
            "Entry Door", "Kitchen Refresh", "Insulation", "Patio Door"]
SOURCES = ["Google Ads", "Facebook", "Door Knock", "Home Show", "Referral", "Website", "TV", "Radio",
           "Direct Mail", "Yelp", "Angi", "Canvass", "Call Center"]
JOB_TITLES = ["Sales Representative", "Senior Sales Representative", "Sales Manager", "Installer",
              "Install Manager", "Office Manager", "Project Coordinator", "Canvasser", "Regional Manager",
              "Call Center Agent"]
OWNER_TEAMS = ["East", "West", "Central", "Inside Sales", "Field Sales"]
