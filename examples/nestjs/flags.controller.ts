import { Controller, Get, Inject, type MessageEvent, Param, Sse, UseGuards } from "@nestjs/common";
import { map, type Observable } from "rxjs";
import { RollgateClient } from "rollgate";
import { FeatureFlagGuard, RequireFlag } from "./feature-flag.guard";

/** The routes of the NestJS example. */
@Controller()
export class FlagsController {
  constructor(@Inject(RollgateClient) private readonly rollgate: RollgateClient) {}

  @Get("api/feature")
  feature(): { enabled: boolean } {
    return { enabled: this.rollgate.isEnabled("new-feature", false) };
  }

  /** 403 unless `beta-dashboard` is on for this service's user. */
  @Get("beta")
  @RequireFlag("beta-dashboard")
  @UseGuards(FeatureFlagGuard)
  beta(): { dashboard: string } {
    return { dashboard: "beta" };
  }

  @Get("health")
  health(): { status: string; circuit: string; flags_source: string } {
    const { circuit, stale, source } = this.rollgate.getStatus();
    return { status: circuit === "closed" && !stale ? "healthy" : "degraded", circuit, flags_source: source };
  }

  /**
   * Server-Sent Events to the browser: the flag's value now, then each change.
   * In a page: `new EventSource("/flags/theme/stream").onmessage = (e) => console.log(JSON.parse(e.data))`.
   */
  @Sse("flags/:key/stream")
  stream(@Param("key") key: string): Observable<MessageEvent> {
    return this.rollgate.flag$(key).pipe(map((value) => ({ data: { key, value: value ?? null } })));
  }
}
