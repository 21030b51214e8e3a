from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from quarterdeck.accounts.models import User
from tests.api.client import PREFIX, Api

HEADER = (
    "id,customer,customer_name,status,amount,currency,interval,quantity,product,start,"
    "canceled_at,ended_at"
)
# The V7 story (METRICS_SPEC §7) as a file, on Atlas (and F's yearly plan on Beacon).
V7_CSV = "\n".join(
    [
        HEADER,
        "a1,A,Acme,canceled,100,USD,month,1,Atlas,2024-01-01,,2024-03-10",
        "a2,A,Acme,active,150,USD,month,1,atlas,2024-03-10,,",
        "b1,B,Bolt,active,60,USD,month,2,Atlas,2024-01-01,,",
        "b2,B,Bolt,canceled,80,USD,month,1,Atlas,2024-01-01,,2024-03-10",
        "c1,C,Cove,canceled,50,USD,month,1,Atlas,2024-01-15,2024-03-05,",
        "d1,D,Dune,canceled,80,USD,month,1,Atlas,2023-11-01,,2024-01-20",
        "d2,D,Dune,active,40,USD,month,1,Atlas,2024-03-10,,",
        "e1,E,Echo,active,60,USD,month,1,Atlas,2024-03-15,,",
        "f1,F,Fjord,active,1200,USD,year,1,Beacon,2024-03-20T10:00:00Z,,",
    ]
)


def upload(user: User | None, content: str | bytes, **form: Any) -> Any:
    api = Api(user)
    data = content.encode() if isinstance(content, str) else content
    body = {"file": SimpleUploadedFile("subs.csv", data, "text/csv"), **form}
    return api.client.post(PREFIX + "/revenue/import", body, headers=api.headers)
