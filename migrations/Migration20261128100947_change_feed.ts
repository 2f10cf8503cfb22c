import { Migration } from '@mikro-orm/migrations';

export class Migration20261128100947_change_feed extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "feed_consumer" ("name" varchar(40) not null, "last_event_id" bigint not null default 0, "updated_at" timestamptz not null default now(), constraint "feed_consumer_pkey" primary key ("name"));`);

    this.addSql(`create table "change_event" ("id" bigserial primary key, "record_type" varchar(40) not null, "record_id" bigint not null, "action" varchar(24) not null, "county_code" varchar(12) null, "institution_id" bigint null, "batch_id" bigint null, "occurred_at" timestamptz not null default now());`);
    this.addSql(`create index "change_event_county_code_index" on "change_event" ("county_code");`);
    this.addSql(`create index "change_event_institution_id_index" on "change_event" ("institution_id");`);
    this.addSql(`create index "change_event_batch_id_index" on "change_event" ("batch_id");`);
    this.addSql(`create index "change_event_occurred_at_index" on "change_event" ("occurred_at");`);

    this.addSql(`alter table "change_event" add constraint "change_event_county_code_foreign" foreign key ("county_code") references "area" ("code") on update cascade on delete restrict;`);
    this.addSql(`alter table "change_event" add constraint "change_event_institution_id_foreign" foreign key ("institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "change_event" add constraint "change_event_batch_id_foreign" foreign key ("batch_id") references "ingest_batch" ("id") on update cascade on delete restrict;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "feed_consumer" cascade;`);

    this.addSql(`drop table if exists "change_event" cascade;`);
  }

}
