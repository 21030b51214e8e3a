"""Phrase banks for Harborline's demo feedback: what customers say about each product, as
topics (one story each), plus the openers, contexts and closers that vary how they say it.

A topic block in ``_TOPICS``:

    @ key | product | feature linked in the story (blank: none) | weight | when | segments | tone
    = subject lines, separated by " / "
    - a core sentence (what the item is about); {n} a number, {site} a city, {day} a weekday
    + a detail sentence that may follow

``[a|b]`` picks one of the alternatives; an indented line continues the one above. ``when``
says when the topic is raised: ``steady``; ``rising`` (more lately); ``outage`` (the DriverHub
outage weeks); ``after:<feature>`` (once it launched); ``beta:<product>`` (from its
design partners' build day, busier after launch). ``segments`` limits who raises it (";"-separated).
``tone``: pain, ask, praise or worry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Topic:
    key: str
    product: str
    feature: str | None
    weight: float
    when: str
    segments: tuple[str, ...]
    tone: str
    subjects: tuple[str, ...]
    cores: tuple[str, ...]
    details: tuple[str, ...]


_TOPICS: Final = """
@ outage | DriverHub | | 9 | outage | | pain
= DriverHub crashing / Drivers cannot log in / URGENT: driver app down / Login failures
- [DriverHub|The driver app|The app] [crashes|closes itself] as soon as [drivers|our drivers|the
    guys] open [today's stops|their stop list].
- [Drivers|Our drivers|Nobody] can't log in to DriverHub, the login screen [just spins and then
    fails|hangs and then says login failed].
- The driver app keeps crashing [after the update|since the new version|all morning]; we are
    back to [paper run sheets|phoning drivers].
- Login failed for [all of our|{n} of our|most of our] drivers [this morning|today|on {day}],
    DriverHub says [invalid session|session expired].
- DriverHub crashes on launch on [Android|Samsung phones|iPhones], drivers can't see their stops.
- App crash every time a driver taps a stop, and after a restart the login fails again.
- Half our drivers are locked out of DriverHub: login error after entering the PIN.
+ It started right after this morning's app update.
+ Reinstalling the app did not help.
+ Dispatch has been phoning every driver with their stops since 6am.
+ We had {n} drivers sitting in the yard unable to start their routes.
@ pod_photo | DriverHub | Electronic proof of delivery | 6 | steady | | pain
= POD photos missing / Proof of delivery upload fails / Photos stuck uploading
- [Proof-of-delivery|POD|Delivery] photos [fail to upload|never upload|get lost] when [the
    driver has no signal|there is no coverage|the phone is offline].
- POD photo upload fails offline and the photos are [lost|gone] when the [app is closed|phone
    restarts].
- Drivers take the delivery photo in a basement dock and it never uploads, the POD stays empty.
- Proof of delivery photos stuck on "uploading" after driving through a dead zone.
- The signature is saved offline but the POD photos are not, customers dispute deliveries.
+ The shipper's portal shows the delivery without any photo.
+ Rural routes around {site} have almost no coverage.
+ We lose claims because we cannot prove the condition at delivery.
@ offline | DriverHub | Offline mode | 3 | steady | Mid-market carriers | ask
= Offline support / Dead zones
- DriverHub needs to keep working in dead zones and sync when the signal returns.
- Please let drivers complete stops without a connection and sync later.
- In tunnels and rural areas the app freezes; a proper offline mode would fix it.
@ hos_log | DriverHub | In-app hours-of-service log | 2 | steady | Mid-market carriers | ask
= Hours of service in the app / Remaining drive time
- Drivers want to see their remaining driving hours in DriverHub instead of a separate ELD app.
- Please show the hours-of-service clock and duty status inside the driver app.
@ sms_jobs | DriverHub | SMS job notifications | 1.2 | steady | Mid-market carriers | worry
= Keep SMS job links
- Our subcontracted drivers will not install an app, please keep the SMS job links.
- Removing SMS job notifications breaks our work with owner-operators.
@ reroute_praise | RouteIQ | Dynamic re-routing | 5 | after:Dynamic re-routing | | praise
= Re-routing is great / Thanks for dynamic re-routing / Love the live re-planning
- Dynamic re-routing saved [our afternoon|the day|our Friday peak] when [the motorway closed|a
    bridge was shut|the snow hit], routes re-planned in seconds.
- The mid-shift re-routing is [brilliant|excellent|a game changer], drivers got a new stop order
    around the [traffic jam|road works|accident].
- Re-routing after a missed time window now just works and dispatch loves it.
- Since dynamic re-routing went live our late deliveries dropped by about {n} percent.
- Live re-optimisation when the weather turns is exactly what we needed, great job on re-routing.
+ Our planners used to redo routes by hand every afternoon.
+ Drivers like that the new order shows up in DriverHub right away.
@ reroute_ask | RouteIQ | Dynamic re-routing | 1.5 | after:Dynamic re-routing | | ask
= Re-routing approvals
- Can dispatch approve a re-route before it is pushed to the driver?
- When RouteIQ re-routes, the customer should get the new ETA automatically.
@ ev_routing | RouteIQ | EV range-aware routing | 6 | rising | Mid-market carriers | ask
= EV routing / Electric vans and charging stops / Range-aware routes for e-vans
- We are adding [electric vans|e-vans|EVs] [to the fleet|in {site}] and need RouteIQ to plan
    charging stops on the route.
- Routes for our EVs ignore battery range; two vans ran out of charge before the last stop.
- Need range-aware routing for [electric vans|our EV fleet|e-vans] with a [buffer|safety margin]
    for cold [mornings|days].
- Please add [EV charging stations|public chargers|our depot chargers] to route planning so
    [e-vans|electric vans] can recharge between stops.
- RouteIQ plans our electric vans like diesel trucks, without any charging stop.
+ We will have {n} electric vans by next spring.
+ Our city depots in {site} become low-emission zones next year.
+ Range drops by a third when it freezes.
@ ev_battery | RouteIQ | Battery health from telematics | 1.5 | rising | Mid-market carriers | ask
= Real battery range
- Use each e-van's real battery health from telematics, not the manufacturer's range figure.
- Our older electric vans have far less range than the brochure says; plan with battery health.
@ dnd_praise | RouteIQ | Drag-and-drop route planner | 3
    | after:Drag-and-drop route planner | | praise
= New planner / Drag and drop is great
- The new drag-and-drop route planner is a huge improvement.
- Moving stops between routes on the map and seeing time windows update at once is fantastic.
- Planners love dragging stops between routes in the new planner.
@ classic_editor | RouteIQ | Classic route editor | 1.2
    | after:Drag-and-drop route planner | | worry
= Keep the table editor
- Please don't remove the classic table route editor, we use it for bulk edits.
- The old route editor was faster for editing {n} stops at once, is it really going away?
@ time_windows | RouteIQ | Multi-stop time windows | 2 | steady | | pain
= Time windows missed
- Delivery time windows are violated on long routes with more than 100 stops.
- RouteIQ ignores the customer's delivery window on the last stops of big routes.
@ breaks | RouteIQ | Driver break compliance | 1.5 | steady | | ask
= Driver breaks in routes
- Routes should plan the 45-minute break after four and a half hours of driving.
- Plan the legally required driver breaks into the route, EU 561 rules.
@ cost_sim | RouteIQ | Route cost simulator | 1.2 | steady | Enterprise shippers | ask
= Compare route costs
- We want to compare fuel, toll and overtime cost of two route plans before dispatch.
- A what-if cost comparison of alternative plans would help us justify routing changes.
@ fleet_map | Telematics Connect | Live fleet map | 2 | steady | | pain
= Fleet map lag
- Vehicle positions on the live fleet map lag [several|{n}] minutes behind reality.
- The fleet map shows trucks at the depot that left half an hour ago.
@ motive | Telematics Connect | Motive connector | 2 | steady | Mid-market carriers | ask
= Motive ELD support
- We use Motive ELDs [in {n} trucks|across the fleet], when is the Motive connector coming?
- Please add a connector for Motive so we get positions and duty status.
@ cold_chain | Telematics Connect | Cold-chain temperature monitoring | 1.5 | steady | | ask
= Reefer temperatures
- We need reefer temperature readings with excursion alerts for our pharma loads.
- Show trailer temperature on the map and alert us when a reefer goes out of range.
@ onboarding | LoadBoard | Carrier onboarding and compliance | 5 | beta:LoadBoard | | pain
= Carrier onboarding is slow / Compliance documents / Carriers stuck in onboarding
- Carrier onboarding takes [days|a week|far too long] because compliance documents are checked
    by hand.
- New carriers upload their [W-9|W-9 and authority letter|MC authority] and still sit in
    compliance review [for days|forever].
- Onboarding asks carriers to re-upload compliance documents they already sent us.
- [Carriers|Small carriers|Owner-operators] give up during onboarding, the document checklist is
    [far too long|confusing].
- We can't tender to a carrier until onboarding finishes, and compliance review takes a week.
+ We lost a load to another broker because the carrier was still in review.
+ Carriers call our team to ask which document is missing.
@ insurance | LoadBoard | Insurance certificate verification | 3 | beta:LoadBoard | | pain
= Insurance certificates
- The certificate of insurance check rejects valid COIs with a different layout.
- Please read the insurance certificate automatically and check cargo limits and expiry.
- Expired insurance certificates are not flagged, we found out [after a claim|from the
    carrier|too late].
@ instant_book | LoadBoard | Quote-to-book conversion | 3.5 | beta:LoadBoard | Freight brokers | ask
= Instant booking / Book now button
- Let [carriers|our trusted carriers] book a load instantly at the posted rate instead of
    [bidding|negotiating].
- We need an instant booking button on LoadBoard so good carriers can take loads in one click.
- Brokers want book-it-now loads: accept the rate and the load is booked.
+ Bidding back and forth costs us hours on simple lanes.
@ lane_alerts | LoadBoard | Saved lane alerts | 1.5 | beta:LoadBoard | | ask
= Lane alerts
- Carriers ask to be alerted when a load is posted on a lane they run.
- Saved searches with alerts for our regular lanes please.
@ quote_accuracy | RateDesk | Instant spot quotes | 3 | beta:RateDesk | | pain
= Spot quotes too low / RateDesk quote accuracy
- RateDesk spot quotes on [reefer|flatbed|dry van] lanes are about {n} percent below what
    carriers accept.
- The instant quote for Dallas to Atlanta was way off the market rate.
- Spot quote accuracy is poor on short-haul lanes, we had to re-quote every load.
- Quotes ignore the holiday surge, so our brokers quote too low and lose margin.
+ Our brokers stopped trusting the number and went back to calling carriers.
@ detention | DockFlow | Detention time tracking | 4 | steady | | pain
= Detention disputes / Detention charges
- Carriers dispute our detention [charges|invoices] because [gate-in times|arrival times] are
    not recorded.
- We need a detention report per carrier to settle detention claims.
- Detention charges pile up and we can't prove how long [trucks|drivers] actually waited at [the
    dock|door {n}].
- Waiting time at the dock should be tracked automatically so detention billing is fair.
+ Last month detention cost us over ${n}00.
@ reminders | DockFlow | Carrier self-service portal | 3.5 | steady | | ask
= Appointment reminders / No-shows at the dock
- Send carriers an automatic [reminder|text reminder|email reminder] [the day before|a few hours
    before] their dock appointment.
- No-shows are killing our dock schedule, appointment reminders by SMS or email please.
- Carriers forget their appointment slot; a reminder with a reschedule link would help.
@ kiosk | DockFlow | Yard check-in kiosk | 1.5 | after:Yard check-in kiosk | | praise
= Check-in kiosk
- The yard check-in kiosk cut our gate queue in half.
- Drivers like checking in at the kiosk and getting their door by text.
@ scanner | PickPath | Zebra device support | 5 | steady | | pain
= Scanner battery / Slow scanning / Zebra app
- The PickPath app drains the [Zebra|TC52|handheld] scanner battery before the end of the
    [shift|day].
- Scanning is [slow|sluggish], there is a [one second|noticeable] delay after every barcode.
- Pickers swap scanner batteries twice a shift since the PickPath update.
- Scan speed on the TC52 is much slower than the old app, pickers are frustrated.
- The handheld scanner freezes after a few hundred scans and needs a restart.
+ Our night shift at {site} has {n} pickers on the floor.
@ batch_pick | PickPath | Batch and cluster picking | 2 | steady | 3PLs | ask
= Batch picking
- We want to pick several small orders in one walk with a multi-tote cart.
- Cluster picking for e-commerce orders would double our pick rate.
@ voice_pick | PickPath | Voice picking | 1 | steady | | ask
= Voice picking
- Our cold store pickers wear gloves, voice picking would help a lot.
@ in_transit | StockSight | Multi-site inventory view | 3 | steady | | ask
= In-transit stock / Inventory visibility
- We can't see stock in transit between our [distribution centres|DCs|warehouses and stores].
- [Planners|Our buyers] need to see goods in transit, not only stock on hand per site.
- One view of inventory across sites including in-transit quantities, please.
+ We keep expediting orders for stock that is already on a truck.
@ erp_sync | StockSight | ERP inventory sync | 1.5 | steady | | ask
= ERP sync
- Inventory has to sync with SAP both ways or planners will not use it.
- Will StockSight sync inventory with NetSuite?
@ webhooks | Connect API | Webhooks | 4 | steady | | pain
= Webhook retries / Missing webhook events
- Webhooks are not retried when our endpoint returns a [503|timeout|500], so we lose [status
    updates|stop events].
- We need [retries with backoff|automatic retries] for failed webhooks and a way to
    [replay|resend] them.
- Missed webhook events during our maintenance window were never resent.
- Webhook deliveries time out and there is no retry, our TMS misses stop events.
+ Our integration team has to poll the API as a workaround.
@ sso | Connect API | Single sign-on (SAML and OIDC) | 3.5 | steady | Enterprise shippers | ask
= SAML SSO / Single sign-on for our users
- We need SAML single sign-on with [Okta|Azure AD|Ping] before [security|our CISO] signs off the
    renewal.
- Please support SSO via [Azure AD|Okta|OneLogin] with SAML and SCIM provisioning.
- Our IT policy requires SAML SSO for every vendor, passwords are not allowed.
+ Renewal is blocked until SSO is in place.
@ sandbox | Connect API | Partner sandbox | 1 | steady | | ask
= Sandbox
- Our integration partner needs a sandbox with sample data to test against.
@ edi_sunset | EDI Gateway | X12 204/214/210 messages | 3 | steady | Enterprise shippers | worry
= EDI Gateway retirement / EDI sunset
- We heard EDI Gateway is being retired; our biggest [retailer|customer|trading partner] only
    talks X12 [204 and 214|210].
- What is the timeline for the EDI sunset? We need at least a year.
- Retiring EDI will break our invoicing with partners who only send X12 210.
@ edi_migration | EDI Gateway | EDI-to-API migration assistant | 2.5 | steady | | ask
= EDI to API migration help
- We need help mapping our [EDI messages|X12 flows|214 status messages] to the Connect API
    before the gateway goes away.
- Can someone help us test our [trading partners|{n} partners] side by side on the API?
@ billing | | | 1.5 | steady | | pain
= Invoice question
- Our invoice still charges for [seats|{n} seats] we removed [last month|in {day}'s call].
- The invoice [currency|total] changed without notice.
"""


def _topic(head: str, lines: list[str]) -> Topic:
    key, product, feature, weight, when, segments, tone = (p.strip() for p in head.split("|"))

    def marked(mark: str) -> tuple[str, ...]:
        return tuple(line[2:].strip() for line in lines if line.startswith(mark))

    subjects = tuple(s.strip() for line in marked("=") for s in line.split(" / "))
    return Topic(
        key, product, feature or None, float(weight), when,
        tuple(s.strip() for s in segments.split(";") if s.strip()), tone,
        subjects, marked("-"), marked("+"),
    )  # fmt: skip


def topics() -> tuple[Topic, ...]:
    """The topic blocks, parsed."""
    found: list[Topic] = []
    for block in _TOPICS.split("\n@ ")[1:]:
        head, *lines = block.strip().replace("\n    ", " ").splitlines()
        found.append(_topic(head, lines))
    return tuple(found)


TOPICS: Final = topics()
