/** A DNS server on 127.0.0.1 (UDP, port 0) that answers TXT and CNAME queries from maps the test fills. */
import { createSocket } from 'node:dgram';
import dnsPacket from 'dns-packet';

export interface TestDnsServer {
  /** For MEDIA_DNS_SERVERS, e.g. `127.0.0.1:53535`. */
  address: string;
  txt: Map<string, string>;
  /** Lower-case name without the final dot -> target. */
  cname: Map<string, string>;
  stop(): Promise<void>;
}

export async function startDnsServer(): Promise<TestDnsServer> {
  const txt = new Map<string, string>();
  const cname = new Map<string, string>();
  const socket = createSocket('udp4');
  socket.on('message', (message, peer) => {
    const query = dnsPacket.decode(message);
    const question = query.questions?.[0];
    const name = question?.name.toLowerCase().replace(/\.$/, '') ?? '';
    const value = question?.type === 'TXT' ? txt.get(name) : undefined;
    const target = question?.type === 'CNAME' ? cname.get(name) : undefined;
    const answer = dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags: dnsPacket.AUTHORITATIVE_ANSWER,
      questions: query.questions,
      answers: !question
        ? []
        : value
          ? [{ type: 'TXT', name: question.name, ttl: 0, data: [value] }]
          : target
            ? [{ type: 'CNAME', name: question.name, ttl: 0, data: target }]
            : [],
    });
    socket.send(answer, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    txt,
    cname,
    stop: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
