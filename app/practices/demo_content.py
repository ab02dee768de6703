"""The demo's good practices: what member cities did, in their own words (illustrative figures, not statistics).

Each entry: the organisation and the members who wrote it and answer questions (emails of app/demo.py's
PEOPLE), the practice's data in the API's JSON names (sections as a tuple in limits.SECTIONS order), the demo
events (slugs) where it was presented, the learning modules (titles) that teach it, the cities interested in
it, how many days ago it was published, and its status when it is not published.
"""

from __future__ import annotations

D = "@demo.connective-cities.org"


def sections(*texts: str) -> dict[str, str]:
    """The narrative in limits.SECTIONS order: challenge, solution, results, costs_and_funding, stakeholders,
    success_factors, obstacles, transferability."""
    names = ("challenge", "solution", "results", "costs_and_funding", "stakeholders", "success_factors",
             "obstacles", "transferability")
    assert len(texts) == len(names)
    return dict(zip(names, texts, strict=True))


def figure(indicator, unit, baseline, value, year, source) -> dict:
    return {"indicator": indicator, "unit": unit, "baseline": baseline, "value": value, "year": year,
            "source": source}


PRACTICES: list[dict] = [
    {
        "organisation": "City of Leipzig", "author": "participant" + D, "contact": "participant" + D,
        "published_days_ago": 420,  # over a year: the yearly "still current?" job has a question to ask
        "events": ["circular-economy-municipal-waste-leipzig"],
        "modules": ["Repair cafés and citizen initiatives", "Foundations of the circular economy"],
        "interest": [("Accra Metropolitan Assembly", "Our markets produce a lot of repairable goods."),
                     ("Pune Municipal Corporation", "")],
        "data": {
            "title": "Repair cafés and a municipal reuse centre",
            "summary": "Volunteer repair cafés in every district and a reuse centre at the recycling yard keep "
                       "furniture, bicycles and electrical goods out of the waste stream.",
            "city": "Leipzig", "country": "DE", "subdivision": "DE-SN", "latitude": 51.3397, "longitude": 12.3731,
            "topics": ["circular-economy", "local-business-cooperation"], "sdg_goals": [11, 12],
            "sdg_targets": ["12.5", "11.6"], "stage": "scaled", "started_year": 2016,
            **sections(
                "Bulky waste collections were filling up with items that still worked or needed a small repair, "
                "and residents had nowhere to take them.",
                "The city supports volunteer repair cafés with rooms, insurance and tool kits, and opened a reuse "
                "centre at the main recycling yard where staff check, clean and sell donated goods at low prices.",
                "Fewer repairable goods end up in bulky waste, and the reuse centre has become a place where "
                "neighbours meet. Two social enterprises took over the bicycle and electronics workshops.",
                "The reuse centre costs about EUR 180,000 a year for staff and rent, partly covered by sales. "
                "Repair cafés receive small grants of EUR 500 to 2,000.",
                "Municipal waste management company, district offices, volunteer repairers, two social enterprises "
                "and the local chamber of crafts.",
                "Free rooms in libraries and community centres; a clear insurance arrangement for volunteers; "
                "craft businesses that see repair cafés as a way to find customers, not as competition.",
                "Safety checks of electrical goods need qualified staff; some volunteers left after the pandemic.",
                "Any city with a recycling yard can start with one reuse container and a repair café in a "
                "library. A volunteer coordinator is the first hire that pays off."),
            "indicators": [figure("Items repaired in repair cafés", "items per year", 600, 4200, 2023,
                                  "District repair café reports"),
                           figure("Goods sold by the reuse centre", "tonnes per year", 0, 310, 2023,
                                  "Municipal waste management company")],
        },
    },
    {
        "organisation": "City of Leipzig", "author": "participant" + D, "contact": "participant" + D,
        "published_days_ago": 150, "events": [], "modules": [],
        "interest": [("City of Kharkiv", "For empty buildings after repairs.")],
        "data": {
            "title": "Guardian houses: empty buildings kept alive by their users",
            "summary": "Owners of empty historic buildings lend them to associations that keep them safe, heated "
                       "and used until a renovation is possible.",
            "city": "Leipzig", "country": "DE", "subdivision": "DE-SN",
            "topics": ["climate-friendly-urban-development", "social-integration"], "sdg_goals": [11],
            "sdg_targets": ["11.1", "11.3", "11.4"], "stage": "implemented", "started_year": 2004,
            **sections(
                "Thousands of empty nineteenth-century buildings were decaying, and demolition threatened whole "
                "streets.",
                "A non-profit association brokers agreements between owners and users: the users pay running costs "
                "instead of rent and look after the building; the owner keeps it from decay at almost no cost.",
                "Several dozen buildings were saved and later renovated; streets that were emptying gained shops, "
                "workshops and cultural uses.",
                "The city funded the association's start-up years; since then it lives from small fees and "
                "project grants.",
                "Building owners, the urban renewal office, an association of users and neighbourhood groups.",
                "A neutral broker that both owners and users trust; standard contracts; the city's backing.",
                "Some owners fear they will not get the building back; fire safety rules need careful checks.",
                "Works where many buildings stand empty and owners lack money for renovation. Start with a "
                "standard use agreement and one pilot street."),
            "indicators": [],
        },
    },
    {
        "organisation": "eThekwini Municipality", "author": "thandiwe.mkhize" + D, "contact": "thandiwe.mkhize" + D,
        "published_days_ago": 90, "events": ["durban-climate-adaptation-information-trip"], "modules": [],
        "interest": [("Ville de Dakar", "Reforestation around our landfill sites."),
                     ("Accra Metropolitan Assembly", ""), ("Curitiba City Hall", "")],
        "data": {
            "title": "Community reforestation around the Buffelsdraai landfill",
            "summary": "Residents grow indigenous seedlings at home, trade them for food vouchers and school "
                       "fees, and plant them in a buffer zone that restores the forest and stores carbon.",
            "city": "Durban", "country": "ZA", "subdivision": "ZA-KZN", "latitude": -29.6450, "longitude": 31.0300,
            "topics": ["climate-friendly-urban-development", "poverty-reduction"], "sdg_goals": [1, 13, 15],
            "sdg_targets": ["13.1", "15.2", "1.5"], "stage": "scaled", "started_year": 2008,
            **sections(
                "The buffer zone around a new regional landfill was degraded sugar-cane land, and the "
                "neighbouring communities had high unemployment.",
                "'Tree-preneurs' raise seedlings of local species in home nurseries; the municipality exchanges "
                "them for vouchers. Community teams plant and maintain the trees and are paid for the work.",
                "Hundreds of hectares were reforested, erosion along the streams dropped, and households earn a "
                "regular income. The model was copied at other sites in the city.",
                "Funded from the landfill's carbon offset budget and the national public works programme.",
                "Climate Protection Branch, Cleansing and Solid Waste unit, local ward committees, a botanical "
                "NGO and the tree-preneurs themselves.",
                "Vouchers people can really use; long-term funding instead of one-off planting days; local "
                "species that survive without watering.",
                "Fires in the dry season, and voucher logistics when the number of growers increased quickly.",
                "Needs land that the city controls and a budget line for several years. The nursery scheme can "
                "start small with a few dozen households."),
            "indicators": [figure("Area reforested", "hectares", 0, 580, 2023, "Climate Protection Branch"),
                           figure("Tree-preneurs growing seedlings", "people", 0, 850, 2023, "Programme records"),
                           figure("Indigenous trees planted", "thousand trees", 0, 610, 2023, "Programme records")],
        },
    },
    {
        "organisation": "eThekwini Municipality", "author": "thandiwe.mkhize" + D, "contact": "sipho.ndlovu" + D,
        "published_days_ago": 40, "events": ["durban-climate-adaptation-information-trip"], "modules": [],
        "interest": [("Municipality of Thessaloniki", "")],
        "data": {
            "title": "Citizen stewards for the Palmiet river",
            "summary": "Neighbours trained as river stewards monitor water quality, clear invasive plants and "
                       "report illegal dumping, so the city can act before floods and spills.",
            "city": "Durban", "country": "ZA", "subdivision": "ZA-KZN", "latitude": -29.8275, "longitude": 30.9360,
            "topics": ["citizen-participation", "climate-friendly-urban-development"], "sdg_goals": [6, 11],
            "sdg_targets": ["6.6", "11.b"], "stage": "implemented", "started_year": 2014,
            **sections(
                "The river floods informal homes after heavy rain, and blocked culverts and sewage spills were "
                "often reported too late.",
                "A partnership of the municipality, a university and residents trains stewards who take simple "
                "water tests, clear invasive plants and use a messaging group to report problems to the city.",
                "Problems reach the right department within days instead of weeks; flood-prone sections are "
                "cleared before the rainy season.",
                "Small stipends for stewards and training materials, paid from the catchment management budget.",
                "Stormwater department, a university research group, ward councillors and resident volunteers.",
                "A named contact in each department who answers the stewards' reports; visible results.",
                "Stipends depend on yearly budget decisions; steward groups need regular refresher training.",
                "Any city with neglected urban rivers can start with one catchment and a reporting channel "
                "that officials really watch."),
            "indicators": [figure("Trained river stewards", "people", 0, 120, 2023, "Stormwater department")],
        },
    },
    {
        "organisation": "Accra Metropolitan Assembly", "author": "kwame.mensah" + D, "contact": "kwame.mensah" + D,
        "published_days_ago": 60, "events": ["accra-participatory-budgeting-workshop"], "modules": [],
        "interest": [("Ville de Dakar", "We are preparing our first district budget meetings."),
                     ("City of Bonn", "")],
        "data": {
            "title": "Participatory budgeting in the sub-metros",
            "summary": "Residents of each sub-metro choose a share of the capital budget's projects in open "
                       "meetings, and follow their delivery on public notice boards.",
            "city": "Accra", "country": "GH", "latitude": 5.5470, "longitude": -0.2040,
            "topics": ["citizen-participation", "poverty-reduction"], "sdg_goals": [11, 16],
            "sdg_targets": ["16.7", "11.3"], "stage": "implemented", "started_year": 2019,
            **sections(
                "Residents felt that spending decisions were made far away and that small, urgent works such as "
                "drains and streetlights were always postponed.",
                "Each sub-metro holds community meetings to list needs, a delegates' forum ranks them within a "
                "fixed budget, and the assembly includes the ranked projects in its plan.",
                "Drains, streetlights and market toilets were built where residents asked for them; turnout grew "
                "every year, with more women and young people speaking.",
                "A fixed share of the capital budget; facilitation costs are small and paid from the assembly's "
                "own revenue.",
                "Sub-metro councils, assembly members, traders' associations, youth groups and local radio.",
                "Delivering the first projects quickly; meetings in local languages at times traders can attend.",
                "Delays in releasing funds undermine trust; some assembly members feared losing influence.",
                "Needs a predictable budget share and political backing. Start with one sub-metro and publish "
                "every decision."),
            "indicators": [figure("Residents taking part in meetings", "people per year", 900, 5200, 2023,
                                  "Assembly records"),
                           figure("Projects chosen by residents and delivered", "projects", 0, 46, 2023,
                                  "Budget office")],
        },
    },
    {
        "organisation": "Pune Municipal Corporation", "author": "priya.deshpande" + D, "contact": "priya.deshpande" + D,
        "published_days_ago": 200, "events": ["pune-inclusive-cities-conference"],
        "modules": ["Waste prevention and municipal waste audits"],
        "interest": [("Accra Metropolitan Assembly", "Informal collectors are key in our city too."),
                     ("Da Nang People's Committee", ""), ("Municipality of Puebla", "")],
        "data": {
            "title": "Door-to-door waste collection by a waste pickers' cooperative",
            "summary": "The city contracts a cooperative of waste pickers to collect separated waste from homes, "
                       "giving them fair pay, protective equipment and recognition.",
            "city": "Pune", "country": "IN", "subdivision": "IN-MH", "latitude": 18.5204, "longitude": 73.8567,
            "topics": ["circular-economy", "social-integration", "poverty-reduction"], "sdg_goals": [1, 8, 11, 12],
            "sdg_targets": ["12.5", "8.5", "11.6", "1.4"], "stage": "scaled", "started_year": 2008,
            **sections(
                "Thousands of waste pickers, most of them women, recovered recyclables from streets and dumps "
                "without protection, income security or recognition.",
                "The waste pickers formed a cooperative; the municipal corporation authorised it to collect "
                "separated waste door to door, for a small user fee and a municipal contribution.",
                "Most households now hand over separated waste; members earn more and more regularly, and much "
                "less waste reaches the landfill.",
                "User fees paid by households cover most of the cost; the corporation pays for equipment, "
                "sorting sheds and the collection of poorer households.",
                "Waste pickers' union and cooperative, municipal corporation, residents' associations and "
                "scrap dealers.",
                "An organised workforce with its own union; residents who know their collector by name.",
                "Fee collection in poorer areas; pressure from private contractors bidding for the same work.",
                "Transferable wherever informal collectors work already: start by registering them and "
                "giving them identity cards."),
            "indicators": [figure("Households served door to door", "thousand households", 0, 800, 2023,
                                  "Cooperative annual report"),
                           figure("Share of waste separated at source", "%", 10, 63, 2023,
                                  "Municipal corporation")],
        },
    },
    {
        "organisation": "Da Nang People's Committee", "author": "nguyen.van.an" + D, "contact": "nguyen.van.an" + D,
        "published_days_ago": 30, "events": ["da-nang-energy-efficient-street-lighting-training"], "modules": [],
        "interest": [("City of Kharkiv", "Lighting after grid repairs."), ("Municipality of Puebla", "")],
        "data": {
            "title": "LED street lighting with smart dimming",
            "summary": "The city replaced its sodium street lamps with LEDs that dim late at night, financed "
                       "through an energy performance contract paid from the savings.",
            "city": "Da Nang", "country": "VN", "latitude": 16.0544, "longitude": 108.2022,
            "topics": ["energy-efficiency"], "sdg_goals": [7, 11, 13],
            "sdg_targets": ["7.3", "11.6", "13.2"], "stage": "implemented", "started_year": 2018, "ended_year": 2022,
            **sections(
                "Street lighting was the largest item on the city's electricity bill, and many old lamps failed "
                "during the storm season.",
                "An energy service company replaced the lamps and installed a remote control system; it is paid "
                "a share of the measured savings over ten years.",
                "Electricity use for street lighting fell by almost half, faults are found remotely, and streets "
                "are brighter where people walk at night.",
                "No upfront cost for the city: the contractor invested and is repaid from savings. A national "
                "energy efficiency programme paid for the baseline audit.",
                "Department of Construction, the energy service company, the power utility and ward committees.",
                "A reliable baseline measurement; a contract that defines light levels, not only savings.",
                "Procurement rules were not made for performance contracts; the first tender took a year.",
                "Works in any city with old street lighting and a stable electricity tariff. An independent "
                "audit of the baseline is essential."),
            "indicators": [figure("Electricity for street lighting", "MWh per year", 21000, 11800, 2022,
                                  "Power utility meter data"),
                           figure("LED lamps installed", "lamps", 0, 38000, 2022, "Department of Construction")],
        },
    },
    {
        "organisation": "Curitiba City Hall", "author": "lucas.oliveira" + D, "contact": "lucas.oliveira" + D,
        "published_days_ago": 300, "events": ["curitiba-bus-rapid-transit-study-tour"],
        "modules": ["Public transport and bus rapid transit", "Sustainable urban mobility planning (SUMP) basics"],
        "interest": [("Municipality of Puebla", "We plan a second BRT line."), ("Da Nang People's Committee", ""),
                     ("Pune Municipal Corporation", "")],
        "language": "pt",
        "translations": {"en": {
            "title": "Bus rapid transit with tube stations",
            "summary": "Dedicated bus lanes, boarding at floor level from tube stations and one fare across the "
                       "integrated network make buses nearly as fast as a metro, at a fraction of the cost.",
        }},
        "data": {
            "title": "Ônibus de trânsito rápido com estações-tubo",
            "summary": "Faixas exclusivas, embarque em nível nas estações-tubo e uma tarifa única em toda a rede "
                       "integrada tornam o ônibus quase tão rápido quanto um metrô, por uma fração do custo.",
            "city": "Curitiba", "country": "BR", "subdivision": "BR-PR", "latitude": -25.4284, "longitude": -49.2733,
            "topics": ["sustainable-transport"], "sdg_goals": [9, 11],
            "sdg_targets": ["11.2", "9.1"], "stage": "scaled", "started_year": 1974,
            **sections(
                "A cidade crescia rapidamente e não podia pagar um metrô.",
                "Eixos estruturais com faixas exclusivas, estações-tubo com pagamento antecipado e uma rede "
                "integrada com tarifa única, planejados junto com o uso do solo.",
                "Milhões de viagens por semana; o modelo foi copiado por mais de cem cidades no mundo.",
                "Infraestrutura paga pelo município e por financiamentos; a operação é coberta pela tarifa.",
                "Instituto de planejamento urbano, empresa municipal de transporte e operadoras privadas.",
                "Planejamento do uso do solo e do transporte juntos; continuidade política por décadas.",
                "Superlotação nos horários de pico e a concorrência do automóvel.",
                "Transferível para cidades médias e grandes que reservem espaço viário para o ônibus."),
            "indicators": [figure("Passengers on the integrated network", "thousand per weekday", 500, 1300, 2019,
                                  "URBS"),
                           figure("Dedicated bus lanes", "km", 20, 81, 2019, "URBS")],
        },
    },
    {
        "organisation": "Curitiba City Hall", "author": "lucas.oliveira" + D, "contact": "lucas.oliveira" + D,
        "published_days_ago": 75, "events": ["curitiba-bus-rapid-transit-study-tour"], "modules": [],
        "interest": [("Municipality of Thessaloniki", ""), ("Ville de Dakar", "")],
        "data": {
            "title": "Parks that hold back floods",
            "summary": "Lakes in a ring of public parks store storm water during heavy rain, protecting "
                       "neighbourhoods downstream and giving residents green space.",
            "city": "Curitiba", "country": "BR", "subdivision": "BR-PR", "latitude": -25.4220, "longitude": -49.3080,
            "topics": ["climate-friendly-urban-development"], "sdg_goals": [6, 11, 13],
            "sdg_targets": ["11.7", "13.1", "6.6"], "stage": "scaled", "started_year": 1972,
            **sections(
                "River valleys were being built over, and the city flooded after heavy rain.",
                "The city bought the flood plains and turned them into parks with lakes that fill up during "
                "storms; the land cannot be built on, and residents use it every day.",
                "Large areas of green space per inhabitant, far fewer floods downstream, and higher land values "
                "around the parks.",
                "Land purchases and landscaping paid by the city over decades; maintenance from the parks budget.",
                "Urban planning institute, environment department and neighbourhood associations.",
                "Acting before the valleys were built over; parks people love defend themselves.",
                "Informal settlements on some flood plains needed resettlement with the residents' agreement.",
                "Any city with undeveloped flood plains can protect them as parks; where they are built over, "
                "smaller retention parks still help."),
            "indicators": [],
        },
    },
    {
        "organisation": "Municipality of Puebla", "author": "maria.hernandez" + D, "contact": "maria.hernandez" + D,
        "published_days_ago": 110, "events": [], "modules": [],
        "interest": [("Municipality of Thessaloniki", "For our historic centre traders.")],
        "data": {
            "title": "A business partnership for the historic centre",
            "summary": "Shop owners, the municipality and the chamber of commerce share the cost of cleaning, "
                       "lighting and events in the historic centre, and plan them together.",
            "city": "Puebla", "country": "MX", "subdivision": "MX-PUE", "latitude": 19.0414, "longitude": -98.2063,
            "topics": ["local-business-cooperation"], "sdg_goals": [8, 11],
            "sdg_targets": ["8.3", "11.4"], "stage": "pilot", "started_year": 2021,
            **sections(
                "Small businesses in the UNESCO-listed centre were losing customers to shopping malls, and many "
                "ground floors stood empty.",
                "A partnership agreement: businesses pay a voluntary contribution, the municipality matches it, "
                "and a joint board decides on cleaning, lighting, events and a shop-vacancy programme.",
                "Fewer empty shop fronts in the pilot streets and more visitors in the evenings.",
                "About one third from business contributions, two thirds from the municipal economic "
                "development budget.",
                "Municipal economic development office, chamber of commerce, traders' association and the "
                "heritage authority.",
                "A board where businesses have the majority; quick visible improvements.",
                "Voluntary contributions leave free riders; heritage rules slow down changes to shop fronts.",
                "Works in historic centres with organised traders; start with a few streets and a joint budget."),
            "indicators": [figure("Empty ground-floor shops in pilot streets", "shops", 41, 23, 2024,
                                  "Municipal survey")],
        },
    },
    {
        "organisation": "City of Kharkiv", "author": "anna.kovalchuk" + D, "contact": "anna.kovalchuk" + D,
        "published_days_ago": 20, "events": ["connective-cities-annual-conference-bonn"],
        "modules": [],
        "interest": [("City of Leipzig", "We can share our experience with school retrofits."),
                     ("City of Bonn", "")],
        "data": {
            "title": "Rebuilding kindergartens to a low-energy standard",
            "summary": "Damaged kindergartens are repaired to a low-energy standard with insulation, new windows "
                       "and heat pumps, so they cost less to run and stay warm during power cuts.",
            "city": "Kharkiv", "country": "UA", "latitude": 49.9935, "longitude": 36.2304,
            "topics": ["energy-efficiency", "social-integration"], "sdg_goals": [4, 7, 11],
            "sdg_targets": ["7.3", "4.a", "11.1"], "stage": "pilot", "started_year": 2023,
            **sections(
                "Many kindergartens were damaged, and the old buildings lost most of their heat.",
                "Instead of restoring the old state, repairs follow a low-energy design: insulation, triple "
                "glazing, heat pumps and a battery so heating and lights keep running during outages.",
                "The first buildings use much less energy than before and stayed open during power cuts.",
                "Funded by international reconstruction grants with a municipal contribution.",
                "Department of education, the city's capital construction department, design institutes and "
                "partner cities.",
                "A standard design reused for several buildings; partner cities' experience with retrofits.",
                "Supply of heat pumps and batteries; skilled workers are scarce.",
                "Any city renovating public buildings can adopt the standard design; reconstruction is a chance "
                "to build better than before."),
            "indicators": [figure("Heating energy of the pilot kindergartens", "kWh per m² and year", 210, 75, 2024,
                                  "Energy audits")],
        },
    },
    {
        "organisation": "Municipality of Thessaloniki", "author": "giorgos.papadopoulos" + D,
        "contact": "giorgos.papadopoulos" + D,
        "published_days_ago": 250, "events": [], "modules": [],
        "interest": [("Greater Irbid Municipality", "Housing for refugee families is our main need."),
                     ("City of Bonn", "")],
        "data": {
            "title": "Rented homes instead of camps for refugee families",
            "summary": "The municipality rents apartments from private owners for refugee families and supports "
                       "them with caseworkers, so they live in the city and use its schools and services.",
            "city": "Thessaloniki", "country": "GR", "subdivision": "GR-B", "latitude": 40.6401, "longitude": 22.9444,
            "topics": ["social-integration"], "sdg_goals": [10, 11],
            "sdg_targets": ["10.2", "10.7", "11.1"], "stage": "implemented", "started_year": 2017,
            **sections(
                "Refugee families lived in camps outside the city, with little contact with schools, jobs or "
                "neighbours.",
                "The municipality rents empty apartments in the city, furnishes them, and a team of caseworkers, "
                "interpreters and teachers helps families settle in.",
                "Children attend local schools, adults use the city's services, and empty flats found tenants.",
                "Funded by European humanitarian funds; rents are paid at market rates to private owners.",
                "Municipal social services, partner NGOs, landlords, schools and the families.",
                "Local staff who speak the families' languages; landlords paid on time.",
                "Funding tied to short programme periods; prejudice in some neighbourhoods.",
                "Cities with empty housing stock can start with a few dozen apartments and a caseworker team."),
            "indicators": [figure("Families housed in apartments", "families", 0, 880, 2022, "Programme records")],
        },
    },
    {
        "organisation": "City of Bonn", "author": "jonas.weber" + D, "contact": "jonas.weber" + D,
        "published_days_ago": 15, "events": ["connective-cities-annual-conference-bonn"], "modules": [],
        "interest": [("Accra Metropolitan Assembly", ""), ("Municipality of Puebla", "")],
        "data": {
            "title": "A citizens' council for the climate plan",
            "summary": "Randomly selected residents discussed the city's climate plan with experts for several "
                       "weekends and gave the council recommendations it answered one by one.",
            "city": "Bonn", "country": "DE", "subdivision": "DE-NW", "latitude": 50.7374, "longitude": 7.0982,
            "topics": ["citizen-participation", "climate-friendly-urban-development"], "sdg_goals": [13, 16],
            "sdg_targets": ["13.2", "13.3", "16.7"], "stage": "implemented", "started_year": 2022, "ended_year": 2023,
            **sections(
                "The city aims for climate neutrality within a few years, which needs decisions that affect "
                "everyone's daily life: heating, parking, building.",
                "A citizens' council drawn by lot and balanced by age, gender and district met with experts; "
                "its recommendations went to the council, which answered each one in public.",
                "Most recommendations were taken into the climate plan; participants reported more trust in "
                "local decisions.",
                "Facilitation, childcare, allowances for participants and expert fees were paid by the city.",
                "City council, climate office, an independent facilitation team, experts and the participants.",
                "A public commitment to answer every recommendation; participants who reflect the city.",
                "Some recommendations were beyond the city's powers; expectations had to be managed.",
                "Any city can run a citizens' council; the public answer to each recommendation is what "
                "makes it credible."),
            "indicators": [figure("Residents in the citizens' council", "people", 0, 50, 2023, "Climate office"),
                           figure("Recommendations taken into the plan", "%", 0, 78, 2023, "Council decision")],
        },
    },
    {
        "organisation": "Greater Irbid Municipality", "author": "fatima.zahra" + D, "contact": "fatima.zahra" + D,
        "published_days_ago": 55, "events": [], "modules": ["Foundations of the circular economy"],
        "interest": [("Municipality of Thessaloniki", ""), ("Pune Municipal Corporation", "")],
        "language": "ar",
        "translations": {"en": {
            "title": "Shared waste services for host and refugee neighbourhoods",
            "summary": "Residents of host and refugee neighbourhoods work together in collection and sorting "
                       "teams, which improved services and relations between the communities.",
            "challenge": "The city's population grew quickly when refugees arrived, and waste services could not "
                         "keep up.",
            "solution": "Mixed teams of Jordanian and Syrian residents collect and sort waste, with new "
                        "containers and a small sorting station.",
            "results": "Cleaner streets, new incomes for families, and better relations between neighbours.",
            "transferability": "Suits cities receiving many newcomers: one shared service builds trust.",
        }},
        "data": {
            "title": "خدمات نفايات مشتركة للأحياء المضيفة وأحياء اللاجئين",
            "summary": "يعمل سكان الأحياء المضيفة وأحياء اللاجئين معًا في فرق الجمع والفرز، مما حسّن الخدمات "
                       "والعلاقات بين المجتمعين.",
            "city": "Irbid", "country": "JO", "subdivision": "JO-IR", "latitude": 32.5556, "longitude": 35.8500,
            "topics": ["circular-economy", "social-integration"], "sdg_goals": [8, 11, 12],
            "sdg_targets": ["11.6", "12.5", "8.5"], "stage": "implemented", "started_year": 2017,
            **sections(
                "ازداد عدد سكان المدينة بسرعة مع وصول اللاجئين، ولم تعد خدمات النفايات كافية.",
                "فرق مختلطة من السكان الأردنيين والسوريين تجمع النفايات وتفرزها، مع حاويات جديدة ومحطة فرز صغيرة.",
                "شوارع أنظف، ودخل جديد للأسر، وعلاقات أفضل بين الجيران.",
                "تمويل من برامج التعاون الدولي مع مساهمة من البلدية.",
                "البلدية، ومنظمات المجتمع المحلي، والسكان من المجتمعين.",
                "العمل المشترك اليومي يبني الثقة؛ أجور منتظمة.",
                "استمرار التمويل بعد انتهاء المشاريع.",
                "مناسبة للمدن التي تستقبل أعدادًا كبيرة من الوافدين."),
            "indicators": [figure("Residents employed in mixed teams", "people", 0, 140, 2022, "Municipality"),
                           figure("Waste collected", "tonnes per day", 310, 420, 2022, "Municipality")],
        },
    },
    {
        "organisation": "Ville de Dakar", "author": "aminata.diallo" + D, "contact": "aminata.diallo" + D,
        "published_days_ago": 130, "events": [], "modules": [],
        "interest": [("eThekwini Municipality", ""), ("Accra Metropolitan Assembly", "For our schools.")],
        "language": "fr",
        "translations": {"en": {
            "title": "Micro-gardens on rooftops and in courtyards",
            "summary": "Families grow vegetables on rooftops and in courtyards in small soil-free tables, "
                       "improving nutrition and earning extra income in a city with little land.",
        }},
        "data": {
            "title": "Micro-jardins sur les toits et dans les cours",
            "summary": "Des familles cultivent des légumes sur les toits et dans les cours, sur de petites tables "
                       "hors-sol, pour mieux se nourrir et gagner un revenu dans une ville où la terre manque.",
            "city": "Dakar", "country": "SN", "subdivision": "SN-DK", "latitude": 14.7167, "longitude": -17.4677,
            "topics": ["poverty-reduction", "climate-friendly-urban-development"], "sdg_goals": [1, 2, 11],
            "sdg_targets": ["2.1", "1.4", "11.7"], "stage": "scaled", "started_year": 1999,
            **sections(
                "La ville manque de terres cultivables, et de nombreuses familles dépensent la plus grande part "
                "de leur revenu pour la nourriture.",
                "La ville forme les habitants au micro-jardinage hors-sol avec des substrats locaux, et fournit "
                "des tables de culture et des semences au démarrage.",
                "Des milliers de familles produisent des légumes toute l'année et vendent leurs surplus.",
                "Formation et matériel de départ financés par la ville et ses partenaires ; les familles "
                "assurent l'entretien.",
                "Ville de Dakar, associations de quartier, groupements de femmes et partenaires techniques.",
                "Des techniques simples et peu coûteuses ; des formatrices issues des quartiers.",
                "L'accès à l'eau en saison sèche ; la vente des surplus.",
                "Transférable à toute ville dense : il suffit d'un toit, d'une cour ou d'un balcon."),
            "indicators": [figure("Households with micro-gardens", "households", 0, 4000, 2020, "Ville de Dakar")],
        },
    },
    {
        "organisation": "Da Nang People's Committee", "author": "nguyen.van.an" + D, "contact": "nguyen.van.an" + D,
        "published_days_ago": 8, "events": [], "modules": ["Cycling and walking infrastructure"],
        "interest": [],
        "data": {
            "title": "Car-free riverside walks on weekend evenings",
            "summary": "The riverside roads close to cars on weekend evenings and become a promenade with street "
                       "vendors, music and cycling for all ages.",
            "city": "Da Nang", "country": "VN", "latitude": 16.0610, "longitude": 108.2270,
            "topics": ["sustainable-transport", "local-business-cooperation"], "sdg_goals": [3, 11],
            "sdg_targets": ["11.2", "11.7", "3.6"], "stage": "pilot", "started_year": 2024,
            **sections(
                "Residents had few safe places to walk and cycle, and riverside traffic was growing.",
                "On weekend evenings the riverside roads close to motor traffic; vendors get free pitches and "
                "families walk, cycle and meet.",
                "Tens of thousands of visitors each weekend; vendors report higher sales; no rise in traffic "
                "jams on the diversion routes.",
                "Barriers, signage and staff from the city's budget; vendors pay no fee during the pilot.",
                "Department of Transport, ward committees, traffic police and vendors' groups.",
                "Starting as a temporary trial; clear diversion routes.",
                "Some residents along the river worry about noise.",
                "Any city with a riverside or main street can try it with barriers and volunteers."),
            "indicators": [],
        },
    },
    # not published: one of each status the reviewers see
    {
        "organisation": "Municipality of Puebla", "author": "maria.hernandez" + D, "contact": "maria.hernandez" + D,
        "status": "draft", "events": [], "modules": [], "interest": [],
        "data": {
            "title": "Protected cycle lanes around the historic centre",
            "summary": "A first ring of protected cycle lanes (draft: results still to come).",
            "city": "Puebla", "country": "MX", "topics": ["sustainable-transport"], "sdg_goals": [11],
            "sdg_targets": ["11.2"], "stage": "idea", "started_year": 2025,
            **sections("Few people cycle because the streets feel unsafe.", "A ring of protected lanes.",
                       "", "", "", "", "", ""),
        },
    },
    {
        "organisation": "City of Kharkiv", "author": "anna.kovalchuk" + D, "contact": "anna.kovalchuk" + D,
        "status": "submitted", "events": [], "modules": [], "interest": [],
        "data": {
            "title": "Mobile administrative service centres",
            "summary": "Buses equipped as service centres bring passports, social benefits and registrations "
                       "to districts where offices were closed.",
            "city": "Kharkiv", "country": "UA", "topics": ["social-integration", "poverty-reduction"],
            "sdg_goals": [16], "sdg_targets": ["16.6", "16.9"], "stage": "implemented", "started_year": 2023,
            **sections(
                "Many service offices were closed or damaged, and older residents could not travel to the centre.",
                "Buses fitted with workstations and secure connections visit districts on a fixed timetable.",
                "Thousands of services delivered each month close to where people live.",
                "Vehicles donated by partners; staff from the service centre department.",
                "Administrative services department, district administrations and partner cities.",
                "A published timetable; staff who can handle most requests on the spot.",
                "Connectivity and power during outages.",
                "Useful wherever people live far from offices."),
        },
    },
    {
        "organisation": "Municipality of Thessaloniki", "author": "giorgos.papadopoulos" + D,
        "contact": "giorgos.papadopoulos" + D, "status": "returned", "events": [], "modules": [], "interest": [],
        "return_comment": "Thank you! Please add the results you measured (occupancy, search traffic) and explain "
                          "what another city needs to adopt the sensors; then submit it again.",
        "data": {
            "title": "Parking sensors and a live parking map",
            "summary": "Sensors in parking spaces feed a live map, so drivers find a space without circling.",
            "city": "Thessaloniki", "country": "GR", "topics": ["sustainable-transport"], "sdg_goals": [11],
            "sdg_targets": ["11.2"], "stage": "pilot", "started_year": 2022,
            **sections("Drivers circling for parking add to congestion in the centre.",
                       "Sensors in the ground and an app with a live parking map.", "", "", "", "", "", ""),
        },
    },
]
