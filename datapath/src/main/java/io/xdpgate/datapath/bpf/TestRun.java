package io.xdpgate.datapath.bpf;

import com.sun.jna.Memory;
import io.xdpgate.datapath.jna.BpfTestRunOpts;
import io.xdpgate.datapath.jna.SkBuffCtx;
import io.xdpgate.datapath.jna.XdpMd;

/**
 * BPF_PROG_TEST_RUN. For XDP the context always goes in: the kernel reads the metadata length from
 * ctx_in.data (metadata sits in front of the frame in data_in) and only reports the context back
 * when one went in, and it copies data out from data_meta. For tc the context only names the
 * device the skb arrives on (skb->dev, a tc program's ctx->ifindex).
 */
final class TestRun {
    private TestRun() {
    }

    static TestRunResult run(BpfProgram program, TestRunRequest request) {
        byte[] meta = request.metadata();
        byte[] packet = request.packet();
        int inLength = meta.length + packet.length;
        Memory dataIn = new Memory(Math.max(1, inLength));
        dataIn.write(0, meta, 0, meta.length);
        dataIn.write(meta.length, packet, 0, packet.length);
        Memory dataOut = new Memory(Math.max(1, request.dataOutCapacity()));

        BpfTestRunOpts opts = new BpfTestRunOpts();
        opts.data_in = dataIn;
        opts.data_size_in = inLength;
        opts.data_out = dataOut;
        opts.data_size_out = (int) dataOut.size();
        opts.repeat = request.repeat();

        XdpMd ctx = null;
        if (program.isXdp()) {
            ctx = new XdpMd();
            ctx.data = meta.length;
            ctx.data_end = inLength;
            ctx.ingress_ifindex = request.ingressIfindex();
            ctx.rx_queue_index = request.rxQueueIndex();
            ctx.write();
            opts.ctx_in = ctx.getPointer();
            opts.ctx_size_in = ctx.size();
            opts.ctx_out = ctx.getPointer();
            opts.ctx_size_out = ctx.size();
        } else if (meta.length > 0) {
            throw new IllegalArgumentException("metadata needs an XDP program; " + program + " is not");
        } else if (program.isTc() && request.ingressIfindex() != 0) {
            SkBuffCtx skb = new SkBuffCtx();
            skb.ifindex = request.ingressIfindex();
            skb.write();
            opts.ctx_in = skb.getPointer();
            opts.ctx_size_in = skb.size();
        }

        int rc = NativeLibraries.bpf().bpf_prog_test_run_opts(program.fd(), opts);
        if (rc < 0) {
            throw Checked.errno("test run of program " + program.name() + " on " + packet.length + " bytes", -rc);
        }
        XdpContext context = null;
        if (ctx != null) {
            ctx.read();
            context = new XdpContext(ctx.data, ctx.data_end, ctx.data_meta, ctx.ingress_ifindex,
                    ctx.rx_queue_index, ctx.egress_ifindex);
        }
        return new TestRunResult(opts.retval, dataOut.getByteArray(0, opts.data_size_out), context, opts.duration,
                request.repeat());
    }
}
