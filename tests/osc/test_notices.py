"""docs/osc.md: engine news reaches the clients that must hear it. An answer goes to the client
that asked; news nobody asked for (a stalled model, a lost device) and news marked for everyone
(a recording that ended by itself) also goes to every subscriber, once each."""

from support.osc import STREAMED

from latentd.engine.engine import Notice


def subscribe(client):
    client.send("/notify", 1)
    client.wait_for(lambda r: r.address == "/done" and r.args[:1] == ["/notify"])


def notices(client, seconds=1.0):
    return [r for r in client.replies(seconds) if r.address not in STREAMED
            and r.address != "/status.reply"]


def test_news_nobody_asked_for_goes_to_every_subscriber(daemon):
    first, second, bystander = daemon.udp(), daemon.tcp(), daemon.udp()
    subscribe(first)
    subscribe(second)
    daemon.engine.notify(Notice("fail", "/model", ("stalled", "decode took 2 s")))
    for client in (first, second):
        reply = client.wait_for(lambda r: r.address == "/fail" and r.args[:1] == ["/model"])
        assert reply.args == ["/model", "stalled", "decode took 2 s"]
    assert not any(r.address == "/fail" for r in notices(bystander, 0.5))


def test_an_answer_goes_only_to_the_asker_unless_it_is_for_everyone(daemon):
    asker, watcher = daemon.udp(), daemon.udp()
    subscribe(asker)
    subscribe(watcher)
    client = daemon.server.clients.subscribers()[0]
    daemon.engine.notify(Notice("done", "/model/load", ("x",), (client, "/model/load")))
    daemon.engine.notify(Notice("fail", "/record/start", ("disk full",),
                                (client, "/record/start"), everyone=True))
    heard = {c: notices(c) for c in (asker, watcher)}
    asked = [c for c in heard if any(r.address == "/done" and r.args[:1] == ["/model/load"]
                                     for r in heard[c])]
    assert len(asked) == 1, heard  # the answer went to one client only
    for c, replies in heard.items():
        ended = [r for r in replies if r.address == "/fail" and r.args[:1] == ["/record/start"]]
        assert len(ended) == 1, (c, replies)  # everyone hears it, the asker once


def test_a_late_notice_without_an_asker_is_not_broadcast(daemon):
    watcher = daemon.udp()
    subscribe(watcher)
    daemon.engine.notify(Notice("late", "/latent", (0.5,)))
    assert not any(r.address == "/late" for r in notices(watcher, 0.5))
